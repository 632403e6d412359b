package dev.sigaudit.cli;

/** Entry point of the {@code sigaudit} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("sigaudit");
  }
}
