package artifact_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/stream-events/stream-events/internal/artifact"
	"github.com/stream-events/stream-events/internal/artifact/artifacttest"
)

const base = 10 * time.Millisecond // BaseDelay in tests; never really slept

// sleeps records the retry waits instead of sleeping.
type sleeps struct {
	mu sync.Mutex
	ds []time.Duration
}

func (s *sleeps) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ds = append(s.ds, d)
	return ctx.Err()
}

func (s *sleeps) get() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.ds...)
}

// fixture is a client wired to a fake service.
type fixture struct {
	srv    *artifacttest.Server
	c      *artifact.Client
	sleeps *sleeps
	masked []string
}

var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func newFixture(t testing.TB, edit ...func(*artifact.Config)) *fixture {
	t.Helper()
	f := &fixture{srv: artifacttest.NewServer(t), sleeps: &sleeps{}}
	cfg := artifact.Config{
		ResultsURL:   f.srv.URL + "/some/path?ignored=1", // only the origin counts
		RuntimeToken: f.srv.Token,
		ServerURL:    "https://github.com",
		Retry:        artifact.RetryPolicy{Attempts: 5, BaseDelay: base, MaxDelay: 8 * base},
		Sleep:        f.sleeps.sleep,
		Now:          func() time.Time { return now },
		Mask:         func(s string) { f.masked = append(f.masked, s) },
	}
	for _, e := range edit {
		e(&cfg)
	}
	c, err := artifact.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	f.c = c
	return f
}

func testZip(t testing.TB) []byte {
	t.Helper()
	b, err := artifact.BuildZip([]artifact.File{
		{Name: "serverless/cloudformation-template-update-stack.json", Data: []byte(`{"AWSTemplateFormatVersion":"2010-09-09"}`)},
		{Name: "summary.md", Data: []byte("ok\n")},
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestUpload_HappyPath(t *testing.T) {
	for _, camel := range []bool{false, true} {
		name := map[bool]string{false: "github.com answers snake_case", true: "act answers camelCase"}[camel]
		t.Run(name, func(t *testing.T) {
			// GIVEN
			f := newFixture(t)
			f.srv.CamelCase(camel)
			z := testZip(t)
			// WHEN
			res, err := f.c.Upload(context.Background(), "cfn-orders", z, 7)
			// THEN
			if err != nil {
				t.Fatal(err)
			}
			want := artifact.Result{ID: 4242, Size: int64(len(z)), SHA256: sha(z)}
			if d := cmp.Diff(want, res); d != "" {
				t.Errorf("result (-want +got):\n%s", d)
			}
			a, _ := f.srv.Artifact("cfn-orders")
			checkStored(t, a, z)
			if !a.ExpiresAt.Equal(now.AddDate(0, 0, 7)) {
				t.Errorf("expires_at = %v, want %v", a.ExpiresAt, now.AddDate(0, 0, 7))
			}
			if len(f.sleeps.get()) != 0 {
				t.Errorf("slept %v on a clean run", f.sleeps.get())
			}
			if len(f.masked) != 1 || !strings.HasPrefix(f.masked[0], "s+i/g=") {
				t.Errorf("Mask got %q, want the decoded sig", f.masked)
			}
		})
	}
}

func checkStored(t *testing.T, a artifacttest.Artifact, z []byte) {
	t.Helper()
	if !a.Finalized || a.Version != 4 || a.ContentType != "application/zip" {
		t.Errorf("stored artifact: finalized %v, version %d, content type %q", a.Finalized, a.Version, a.ContentType)
	}
	if !bytes.Equal(a.Data, z) || a.Size != int64(len(z)) || a.Hash != "sha256:"+sha(z) {
		t.Errorf("stored %d bytes, size %d, hash %s; want %d bytes, hash of them", len(a.Data), a.Size, a.Hash, len(z))
	}
	zr, err := zip.NewReader(bytes.NewReader(a.Data), int64(len(a.Data)))
	if err != nil {
		t.Fatalf("stored blob is not a zip: %v", err)
	}
	rc, err := zr.Open("summary.md")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if b, _ := io.ReadAll(rc); string(b) != "ok\n" {
		t.Errorf("summary.md = %q", b)
	}
}

func TestUpload_NoRetentionOmitsExpiry(t *testing.T) {
	f := newFixture(t)
	if _, err := f.c.Upload(context.Background(), "a", testZip(t), 0); err != nil {
		t.Fatal(err)
	}
	if a, _ := f.srv.Artifact("a"); !a.ExpiresAt.IsZero() {
		t.Errorf("expires_at sent without retention days: %v", a.ExpiresAt)
	}
}

func TestUpload_ManyBlocks(t *testing.T) {
	f := newFixture(t, func(c *artifact.Config) { c.BlockSize = 100 })
	z := bytes.Repeat(testZip(t), 3)
	if _, err := f.c.Upload(context.Background(), "big", z, 0); err != nil {
		t.Fatal(err)
	}
	if got, want := f.srv.Calls(artifacttest.PutBlock), (len(z)+99)/100; got != want {
		t.Errorf("%d Put Block calls, want %d", got, want)
	}
	if a, _ := f.srv.Artifact("big"); !bytes.Equal(a.Data, z) {
		t.Error("blocks were not committed in order")
	}
}

// Every request of an upload is retried on its own, for 5xx, 429 and a
// dropped connection, after the exponential (or Retry-After) delay.
func TestUpload_RetriesEachStep(t *testing.T) {
	ops := []artifacttest.Op{artifacttest.CreateArtifact, artifacttest.PutBlock, artifacttest.PutBlockList, artifacttest.FinalizeArtifact}
	faults := map[string]struct {
		faults     []artifacttest.Fault
		wantSleeps []time.Duration
	}{
		"503 then ok":             {faults: []artifacttest.Fault{{Status: 503}}, wantSleeps: []time.Duration{base}},
		"500, 502, 504 then ok":   {faults: []artifacttest.Fault{{Status: 500}, {Status: 502}, {Status: 504}}, wantSleeps: []time.Duration{base, 2 * base, 4 * base}},
		"429 then ok":             {faults: []artifacttest.Fault{{Status: 429}}, wantSleeps: []time.Duration{base}},
		"429 with Retry-After":    {faults: []artifacttest.Fault{{Status: 429, RetryAfter: "1"}}, wantSleeps: []time.Duration{8 * base}}, // capped at MaxDelay
		"dropped connection":      {faults: []artifacttest.Fault{{}}, wantSleeps: []time.Duration{base}},
		"dropped, then 503, then": {faults: []artifacttest.Fault{{}, {Status: 503}}, wantSleeps: []time.Duration{base, 2 * base}},
	}
	for _, op := range ops {
		for name, tt := range faults {
			t.Run(string(op)+"/"+name, func(t *testing.T) {
				// GIVEN
				f := newFixture(t)
				f.srv.Inject(op, tt.faults...)
				z := testZip(t)
				// WHEN
				_, err := f.c.Upload(context.Background(), "r", z, 0)
				// THEN
				if err != nil {
					t.Fatalf("Upload: %v", err)
				}
				if got, want := f.srv.Calls(op), len(tt.faults)+1; got != want {
					t.Errorf("%s called %d times, want %d", op, got, want)
				}
				if d := cmp.Diff(tt.wantSleeps, f.sleeps.get()); d != "" {
					t.Errorf("sleeps (-want +got):\n%s", d)
				}
				a, _ := f.srv.Artifact("r")
				checkStored(t, a, z)
			})
		}
	}
}

func TestUpload_NoRetryOn4xx(t *testing.T) {
	ops := map[artifacttest.Op]string{
		artifacttest.CreateArtifact:   "create artifact",
		artifacttest.PutBlock:         "upload blob",
		artifacttest.PutBlockList:     "upload blob",
		artifacttest.FinalizeArtifact: "finalize artifact",
	}
	for op, step := range ops {
		for _, status := range []int{400, 401, 403, 404, 501} {
			t.Run(string(op)+"/"+http.StatusText(status), func(t *testing.T) {
				f := newFixture(t)
				f.srv.Inject(op, artifacttest.Fault{Status: status, Msg: "nope"})
				_, err := f.c.Upload(context.Background(), "r", testZip(t), 0)
				if err == nil {
					t.Fatal("no error")
				}
				var re *artifact.RequestError
				if !errors.As(err, &re) || re.Status != status || re.Op != string(op) {
					t.Errorf("error %v: want *RequestError{Op: %s, Status: %d}", err, op, status)
				}
				if !strings.HasPrefix(err.Error(), step) || !strings.Contains(err.Error(), `"r"`) || !strings.Contains(err.Error(), "nope") {
					t.Errorf("error %q does not name step %q and quote the message", err, step)
				}
				if f.srv.Calls(op) != 1 || len(f.sleeps.get()) != 0 {
					t.Errorf("retried: %d calls, sleeps %v", f.srv.Calls(op), f.sleeps.get())
				}
			})
		}
	}
}

func TestUpload_GivesUp(t *testing.T) {
	f := newFixture(t)
	for range 5 {
		f.srv.Inject(artifacttest.PutBlock, artifacttest.Fault{Status: 503})
	}
	_, err := f.c.Upload(context.Background(), "r", testZip(t), 0)
	if err == nil || !strings.Contains(err.Error(), "giving up after 5 attempts") {
		t.Fatalf("got %v", err)
	}
	if d := cmp.Diff([]time.Duration{base, 2 * base, 4 * base, 8 * base}, f.sleeps.get()); d != "" {
		t.Errorf("sleeps (-want +got):\n%s", d)
	}
	if f.srv.Calls(artifacttest.FinalizeArtifact) != 0 {
		t.Error("finalized after a failed blob upload")
	}
}

func TestUpload_Refused(t *testing.T) {
	for op, step := range map[artifacttest.Op]string{
		artifacttest.CreateArtifact:   "create artifact",
		artifacttest.FinalizeArtifact: "finalize artifact",
	} {
		t.Run(string(op), func(t *testing.T) {
			f := newFixture(t)
			f.srv.Inject(op, artifacttest.Fault{Refuse: true})
			_, err := f.c.Upload(context.Background(), "r", testZip(t), 0)
			if !errors.Is(err, artifact.ErrRefused) || !strings.HasPrefix(err.Error(), step) {
				t.Errorf("got %v, want ErrRefused naming %q", err, step)
			}
			if f.srv.Calls(op) != 1 {
				t.Errorf("a refusal was retried")
			}
		})
	}
}

func TestUpload_Conflict(t *testing.T) {
	f := newFixture(t)
	if _, err := f.c.Upload(context.Background(), "same", testZip(t), 0); err != nil {
		t.Fatal(err)
	}
	_, err := f.c.Upload(context.Background(), "same", testZip(t), 0)
	if !artifact.IsConflict(err) {
		t.Errorf("second upload: got %v, want a conflict", err)
	}
}

func TestUpload_InvalidInputSendsNothing(t *testing.T) {
	tests := map[string]struct {
		name string
		zip  []byte
		days int
	}{
		"bad name":       {name: "a/b", zip: []byte("PK"), days: 0},
		"empty zip":      {name: "a", zip: nil, days: 0},
		"negative days":  {name: "a", zip: []byte("PK"), days: -1},
		"empty name":     {name: "", zip: []byte("PK"), days: 0},
		"name with pipe": {name: "a|b", zip: []byte("PK"), days: 0},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t)
			if _, err := f.c.Upload(context.Background(), tt.name, tt.zip, tt.days); err == nil {
				t.Error("no error")
			}
			if f.srv.Calls(artifacttest.CreateArtifact) != 0 {
				t.Error("invalid input reached the service")
			}
		})
	}
}

// Secrets a server echoes, and the signed URL a transport error quotes,
// never reach an error message.
func TestUpload_RedactsSecrets(t *testing.T) {
	echo := artifacttest.Fault{Status: 400, Msg: "bad request auth={auth} url={url}"}
	tests := map[string]struct {
		op    artifacttest.Op
		fault artifacttest.Fault
	}{
		"create echoes the token":     {op: artifacttest.CreateArtifact, fault: echo},
		"finalize echoes the token":   {op: artifacttest.FinalizeArtifact, fault: echo},
		"blob echoes the signed URL":  {op: artifacttest.PutBlock, fault: echo},
		"block list echoes it":        {op: artifacttest.PutBlockList, fault: echo},
		"blob connection drops":       {op: artifacttest.PutBlock, fault: artifacttest.Fault{}},
		"create connection drops":     {op: artifacttest.CreateArtifact, fault: artifacttest.Fault{}},
		"finalize 503 echoes the url": {op: artifacttest.FinalizeArtifact, fault: artifacttest.Fault{Status: 503, Msg: "{url} {auth}"}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, func(c *artifact.Config) { c.Retry.Attempts = 1 })
			f.srv.Inject(tt.op, tt.fault)
			_, err := f.c.Upload(context.Background(), "r", testZip(t), 0)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			secrets := []string{f.srv.Token, "Bearer ey"}
			for _, sig := range f.masked {
				secrets = append(secrets, sig, url.QueryEscape(sig))
			}
			if tt.op != artifacttest.CreateArtifact && len(f.masked) == 0 {
				t.Fatal("the signature was not handed to Mask")
			}
			for _, s := range secrets {
				if strings.Contains(msg, s) {
					t.Errorf("error leaks %q: %s", s, msg)
				}
			}
			t.Log(msg)
		})
	}
}

func TestNew_Unavailable(t *testing.T) {
	srv := artifacttest.NewServer(t)
	tests := map[string]struct {
		cfg     artifact.Config
		wantErr error // nil: New succeeds
	}{
		"no results url":      {cfg: artifact.Config{RuntimeToken: srv.Token}, wantErr: artifact.ErrUnavailable},
		"no token":            {cfg: artifact.Config{ResultsURL: srv.URL}, wantErr: artifact.ErrUnavailable},
		"GHES":                {cfg: artifact.Config{ResultsURL: srv.URL, RuntimeToken: srv.Token, ServerURL: "https://github.example.com"}, wantErr: artifact.ErrUnavailable},
		"token without ids":   {cfg: artifact.Config{ResultsURL: srv.URL, RuntimeToken: artifacttest.MakeToken("Actions.GenericRead:abc")}, wantErr: artifact.ErrNoBackendIDs},
		"token not a JWT":     {cfg: artifact.Config{ResultsURL: srv.URL, RuntimeToken: "opaque-secret"}, wantErr: artifact.ErrNoBackendIDs},
		"github.com":          {cfg: artifact.Config{ResultsURL: srv.URL, RuntimeToken: srv.Token, ServerURL: "https://github.com"}},
		"data residency host": {cfg: artifact.Config{ResultsURL: srv.URL, RuntimeToken: srv.Token, ServerURL: "https://acme.ghe.com"}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			c, err := artifact.New(tt.cfg)
			if tt.wantErr == nil {
				if err != nil || c == nil {
					t.Fatalf("New: %v", err)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) || !artifact.IsUnavailable(err) {
				t.Fatalf("got %v, want %v (unavailable)", err, tt.wantErr)
			}
			if tt.cfg.RuntimeToken != "" && strings.Contains(err.Error(), tt.cfg.RuntimeToken) {
				t.Errorf("error quotes the token: %v", err)
			}
		})
	}
}

func TestNew_BadResultsURL(t *testing.T) {
	_, err := artifact.New(artifact.Config{ResultsURL: "not a url", RuntimeToken: artifacttest.MakeToken("Actions.Results:a:b")})
	if err == nil || artifact.IsUnavailable(err) {
		t.Errorf("got %v, want a configuration error", err)
	}
}

// Cancelling the context while waiting to retry stops at once, keeping
// both the cancellation and the failure that caused the wait.
func TestUpload_CancelDuringBackoff(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f := newFixture(t, func(c *artifact.Config) {
		c.Sleep = func(ctx context.Context, d time.Duration) error {
			cancel() // the job is cancelled while we wait
			<-ctx.Done()
			return ctx.Err()
		}
	})
	f.srv.Inject(artifacttest.CreateArtifact, artifacttest.Fault{Status: 503})
	_, err := f.c.Upload(ctx, "r", testZip(t), 0)
	var re *artifact.RequestError
	if !errors.Is(err, context.Canceled) || !errors.As(err, &re) || re.Status != 503 {
		t.Errorf("got %v, want context.Canceled wrapping the 503", err)
	}
	if n := f.srv.Calls(artifacttest.CreateArtifact); n != 1 {
		t.Errorf("CreateArtifact called %d times after cancel", n)
	}
}

// With the default timer-based sleep, a long backoff ends with the context.
func TestUpload_DefaultSleepHonoursContext(t *testing.T) {
	f := newFixture(t, func(c *artifact.Config) {
		c.Sleep = nil
		c.Retry = artifact.RetryPolicy{Attempts: 3, BaseDelay: time.Hour, MaxDelay: time.Hour}
	})
	f.srv.Inject(artifacttest.FinalizeArtifact, artifacttest.Fault{Status: 500})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := f.c.Upload(ctx, "r", testZip(t), 0)
	if !errors.Is(err, context.DeadlineExceeded) || !strings.HasPrefix(err.Error(), "finalize artifact") {
		t.Errorf("got %v, want a deadline error naming finalize", err)
	}
	if time.Since(start) > 10*time.Second {
		t.Error("backoff ignored the context")
	}
}

func TestIsGHES(t *testing.T) {
	for url, want := range map[string]bool{
		"":                            false,
		"https://github.com":          false,
		"https://GITHUB.COM/":         false,
		"https://acme.ghe.com":        false,
		"http://github.localhost":     false,
		"https://github.example.com":  true,
		"https://ghes.corp.internal/": true,
	} {
		if got := artifact.IsGHES(url); got != want {
			t.Errorf("IsGHES(%q) = %v, want %v", url, got, want)
		}
	}
}

func TestURL(t *testing.T) {
	got := artifact.URL("https://github.com/", "acme/orders", "123456", 4242)
	if want := "https://github.com/acme/orders/actions/runs/123456/artifacts/4242"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
