package dev.sigaudit.testenv;

import java.io.ByteArrayInputStream;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** An SSLContext that trusts exactly the certificates of one PEM bundle. */
final class Tls {
  private Tls() {}

  static SSLContext trusting(byte[] pemBundle) throws Exception {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    ks.load(null, null);
    int i = 0;
    for (Certificate c :
        CertificateFactory.getInstance("X.509")
            .generateCertificates(new ByteArrayInputStream(pemBundle))) {
      ks.setCertificateEntry("ca-" + i++, c);
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ks);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return ctx;
  }
}
