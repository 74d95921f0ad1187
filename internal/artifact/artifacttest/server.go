// Package artifacttest provides an in-memory GitHub Actions artifact
// service (v4 protocol) for tests: the results service's twirp JSON
// endpoints and an Azure-blob-like upload endpoint behind the signed URL,
// both on one httptest server. It checks requests as strictly as the real
// services do (field names, proto3 JSON types, auth, blob headers), reports
// every violation through t.Errorf, and can inject failures.
package artifacttest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Op names one kind of request the server handles.
type Op string

// The requests of an upload, in order.
const (
	CreateArtifact   Op = "CreateArtifact"
	PutBlock         Op = "PutBlock"
	PutBlob          Op = "PutBlob"
	PutBlockList     Op = "PutBlockList"
	FinalizeArtifact Op = "FinalizeArtifact"
)

const twirpPrefix = "/twirp/github.actions.results.api.v1.ArtifactService/"

// Fault replaces the normal answer to one request. Faults of an Op are used
// in the order given to Inject, one per request.
type Fault struct {
	// Status is the HTTP status to answer with. 0 (and Refuse false) drops
	// the connection without an answer, like a network failure.
	Status int
	// Refuse answers 200 with {"ok": false} (twirp ops only).
	Refuse bool
	// Msg is the error message; "{auth}" and "{url}" in it are replaced by the
	// request's Authorization header and URL, to test that clients redact
	// what a server echoes.
	Msg string
	// RetryAfter is sent as the Retry-After header if non-empty.
	RetryAfter string
}

// Artifact is the server's record of one artifact.
type Artifact struct {
	ID          int64
	Name        string
	Version     int
	ExpiresAt   time.Time // zero if the request had no expires_at
	Data        []byte    // committed blob content
	ContentType string    // x-ms-blob-content-type of the commit
	Size        int64     // from FinalizeArtifact
	Hash        string    // from FinalizeArtifact
	Finalized   bool

	sig    string
	blocks map[string][]byte // staged, uncommitted blocks by id
	idLen  int               // length of the first block id (Azure: all equal)
}

// Server is a fake artifact service. Its zero value is not usable; call
// NewServer.
type Server struct {
	URL   string // base URL, used as ACTIONS_RESULTS_URL
	Token string // runtime token the server accepts
	RunID string // workflow run backend id in Token
	JobID string // workflow job run backend id in Token

	t      testing.TB
	mu     sync.Mutex
	camel  bool
	faults map[Op][]Fault
	calls  map[Op]int
	byName map[string]*Artifact
	nextID int64
}

// NewServer starts a fake service that accepts a token for a fixed run and
// job. It is closed when the test ends.
func NewServer(t testing.TB) *Server {
	t.Helper()
	s := &Server{
		RunID:  "ce7f54c7-61c7-4aae-887f-30da475f5f1a",
		JobID:  "ca395085-040a-526b-2ce8-bdc85f692774",
		t:      t,
		faults: map[Op][]Fault{},
		calls:  map[Op]int{},
		byName: map[string]*Artifact{},
		nextID: 4242,
	}
	s.Token = MakeToken("Actions.GenericRead:00000000-0000-0000-0000-000000000000 Actions.Results:" + s.RunID + ":" + s.JobID)
	// The URL is set before the server starts, so that handlers, which read
	// it for signed URLs, never race with this write.
	srv := httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	s.URL = "http://" + srv.Listener.Addr().String()
	srv.Start()
	t.Cleanup(srv.Close)
	return s
}

// MakeToken returns an unsigned JWT whose payload has the given scp claim,
// in the shape of ACTIONS_RUNTIME_TOKEN.
func MakeToken(scp string) string {
	enc := base64.RawURLEncoding
	header := enc.EncodeToString([]byte(`{"typ":"JWT","alg":"RS256"}`))
	payload, _ := json.Marshal(map[string]any{"scp": scp, "iss": "vstoken.actions.githubusercontent.com"})
	return header + "." + enc.EncodeToString(payload) + ".c2lnbmF0dXJl"
}

// CamelCase makes responses use JSON names (signedUploadUrl, artifactId) as
// act and Gitea do, instead of the snake_case GitHub sends.
func (s *Server) CamelCase(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.camel = on
}

// Inject queues faults for the next requests of op.
func (s *Server) Inject(op Op, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults[op] = append(s.faults[op], faults...)
}

// Calls returns how many requests of op arrived, faulted ones included.
func (s *Server) Calls(op Op) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[op]
}

// Artifact returns a copy of the record for name.
func (s *Server) Artifact(name string) (Artifact, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.byName[name]
	if !ok {
		return Artifact{}, false
	}
	c := *a
	c.Data = append([]byte(nil), a.Data...)
	c.blocks = nil
	return c, true
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	switch {
	case strings.HasPrefix(r.URL.Path, twirpPrefix):
		s.serveTwirp(w, r, Op(strings.TrimPrefix(r.URL.Path, twirpPrefix)))
	case strings.HasPrefix(r.URL.Path, "/blob/"):
		s.serveBlob(w, r)
	default:
		s.violation(w, r, "unexpected request %s %s", r.Method, r.URL.Path)
	}
}

// begin counts the request and pops its fault, if any. A fault without a
// status drops the connection here.
func (s *Server) begin(w http.ResponseWriter, op Op) (Fault, bool) {
	s.mu.Lock()
	s.calls[op]++
	var f Fault
	q := s.faults[op]
	has := len(q) > 0
	if has {
		f, s.faults[op] = q[0], q[1:]
	}
	s.mu.Unlock()
	if has && f.Status == 0 && !f.Refuse {
		drop(w)
	}
	return f, has
}

func drop(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		conn.Close()
	}
}

func (f Fault) message(r *http.Request) string {
	m := cmpOr(f.Msg, http.StatusText(f.Status))
	m = strings.ReplaceAll(m, "{auth}", r.Header.Get("Authorization"))
	return strings.ReplaceAll(m, "{url}", r.URL.String())
}

// violation reports a protocol error by the client: the test fails and the
// client gets a 400, as the real service would answer.
func (s *Server) violation(w http.ResponseWriter, r *http.Request, format string, args ...any) {
	s.t.Helper()
	msg := fmt.Sprintf(format, args...)
	s.t.Errorf("artifacttest: %s %s: %s", r.Method, r.URL.Path, msg)
	writeTwirpError(w, http.StatusBadRequest, "invalid_argument", msg)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
