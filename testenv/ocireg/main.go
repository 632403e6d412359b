// Command ocireg is an in-memory OCI registry that implements the OCI 1.1
// referrers API (GET /v2/<name>/referrers/<digest>). Debian's Distribution
// build does not, and sigaudit must be tested against both kinds of registry.
// It serves only loopback and prints "listening on HOST:PORT" once ready.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"

	"github.com/google/go-containerregistry/pkg/registry"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "loopback address to listen on")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	handler := registry.New(registry.WithReferrersSupport(true), registry.Logger(log.New(os.Stderr, "", 0)))
	fmt.Printf("listening on %s\n", ln.Addr())
	log.Fatal(http.Serve(ln, handler))
}
