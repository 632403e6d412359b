// Command ocireg is an in-memory OCI registry that implements the OCI 1.1
// referrers API (GET /v2/<name>/referrers/<digest>). Debian's Distribution
// build does not, and sigaudit must be tested against both kinds of registry.
// It serves only loopback and prints "listening on HOST:PORT" once ready.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"

	"github.com/google/go-containerregistry/pkg/registry"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "loopback address to listen on")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	inner := registry.New(registry.WithReferrersSupport(true), registry.Logger(log.New(os.Stderr, "", 0)))
	fmt.Printf("listening on %s\n", ln.Addr())
	log.Fatal(http.Serve(ln, specReferrers{inner}))
}

// specReferrers answers the referrers API as the OCI distribution spec 1.1 says. The wrapped
// go-containerregistry handler lists every referrer with its config.mediaType as artifactType
// and drops its annotations, so clients that select referrers by artifact type (cosign v3,
// Kyverno, policy-controller) never see a Sigstore bundle, whose manifest carries
// artifactType application/vnd.dev.sigstore.bundle.v0.3+json over an empty config. This
// wrapper rebuilds each descriptor from the manifest it points at: artifactType from the
// manifest's own field, else config.mediaType; the manifest's annotations; and it applies the
// optional ?artifactType= filter, saying so in OCI-Filters-Applied.
type specReferrers struct{ inner http.Handler }

type descriptor struct {
	MediaType    string            `json:"mediaType"`
	Digest       string            `json:"digest"`
	Size         int64             `json:"size"`
	ArtifactType string            `json:"artifactType,omitempty"`
	Annotations  map[string]string `json:"annotations,omitempty"`
}

type index struct {
	SchemaVersion int          `json:"schemaVersion"`
	MediaType     string       `json:"mediaType"`
	Manifests     []descriptor `json:"manifests"`
}

func (s specReferrers) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	repo, ok := referrersRepo(r.URL.Path)
	if !ok || r.Method != http.MethodGet {
		s.inner.ServeHTTP(w, r)
		return
	}
	rec := httptest.NewRecorder()
	s.inner.ServeHTTP(rec, r)
	var idx index
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &idx) != nil {
		copyResponse(w, rec)
		return
	}
	want := r.URL.Query().Get("artifactType")
	kept := []descriptor{}
	for _, d := range idx.Manifests {
		if fixed, ok := s.describe(repo, d); ok {
			d = fixed
		}
		if want == "" || d.ArtifactType == want {
			kept = append(kept, d)
		}
	}
	// The wrapped handler ranges over a map: a stable order makes answers comparable.
	sort.Slice(kept, func(i, j int) bool { return kept[i].Digest < kept[j].Digest })
	idx.Manifests = kept
	body, err := json.Marshal(idx)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if want != "" {
		w.Header().Set("OCI-Filters-Applied", "artifactType")
	}
	w.Header().Set("Content-Type", idx.MediaType)
	w.Header().Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

// describe reads the referrer's manifest from the wrapped registry and rebuilds its descriptor.
func (s specReferrers) describe(repo string, d descriptor) (descriptor, bool) {
	req := httptest.NewRequest(http.MethodGet, "/v2/"+repo+"/manifests/"+d.Digest, nil)
	req.Header.Set("Accept", d.MediaType)
	rec := httptest.NewRecorder()
	s.inner.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		return d, false
	}
	var m struct {
		ArtifactType string `json:"artifactType"`
		Config       struct {
			MediaType string `json:"mediaType"`
		} `json:"config"`
		Annotations map[string]string `json:"annotations"`
	}
	if json.Unmarshal(rec.Body.Bytes(), &m) != nil {
		return d, false
	}
	d.ArtifactType = m.ArtifactType
	if d.ArtifactType == "" {
		d.ArtifactType = m.Config.MediaType
	}
	d.Annotations = m.Annotations
	return d, true
}

// referrersRepo returns <name> of /v2/<name>/referrers/<digest>.
func referrersRepo(path string) (string, bool) {
	elems := strings.Split(strings.TrimPrefix(path, "/v2/"), "/")
	if !strings.HasPrefix(path, "/v2/") || len(elems) < 3 || elems[len(elems)-2] != "referrers" {
		return "", false
	}
	return strings.Join(elems[:len(elems)-2], "/"), true
}

func copyResponse(w http.ResponseWriter, rec *httptest.ResponseRecorder) {
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	w.Write(rec.Body.Bytes())
}
