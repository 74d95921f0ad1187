package cli

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stream-events/stream-events/internal/artifact/artifacttest"
)

// binDir holds the stream-events binary that end-to-end tests run the way
// the runner does. TestMain makes it; the binary is built on first use, so
// unit tests alone pay nothing.
var (
	binDir   string
	binOnce  sync.Once
	binPath  string
	binError error
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "stream-events-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// moduleRoot is the repository root, two levels above this package.
func moduleRoot(t testing.TB) string {
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..")
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root: %v", err)
	}
	return root
}

// binary builds the command once per test process.
func binary(t testing.TB) string {
	t.Helper()
	binOnce.Do(func() {
		binPath = filepath.Join(binDir, "stream-events")
		cmd := exec.Command("go", "build", "-o", binPath, "-ldflags", "-X github.com/stream-events/stream-events/internal/cli.Version=v0.0.0-test", ".")
		cmd.Dir = moduleRoot(t)
		if out, err := cmd.CombinedOutput(); err != nil {
			binError = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binError != nil {
		t.Fatal(binError)
	}
	return binPath
}

// result is one run of the binary.
type result struct {
	code           int
	stdout, stderr string
}

// run executes the binary in dir with exactly env (no inherited
// variables), as the runner's docker run -e does.
func run(t testing.TB, dir string, env map[string]string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Dir = dir
	cmd.Env = envList(env)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errb.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		t.Fatalf("run: %v", err)
	}
	return r
}

func envList(env map[string]string) []string {
	var out []string
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	sort.Strings(out)
	return out
}

// runnerEnv is what the runner gives a container action, with the AWS SDK
// kept away from this machine's files and instance metadata.
func runnerEnv(t testing.TB, ws string) map[string]string {
	tmp := t.TempDir()
	return map[string]string{
		"GITHUB_ACTIONS":              "true",
		"CI":                          "true",
		"GITHUB_WORKSPACE":            ws,
		"RUNNER_TEMP":                 tmp,
		"HOME":                        tmp,
		"GITHUB_OUTPUT":               filepath.Join(tmp, "set_output"),
		"GITHUB_STEP_SUMMARY":         filepath.Join(tmp, "step_summary"),
		"GITHUB_SERVER_URL":           "https://github.com",
		"GITHUB_REPOSITORY":           "acme/shop",
		"GITHUB_SHA":                  "0123456789abcdef0123456789abcdef01234567",
		"GITHUB_RUN_ID":               "4242",
		"AWS_CONFIG_FILE":             filepath.Join(tmp, "no-aws-config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(tmp, "no-aws-credentials"),
		"AWS_EC2_METADATA_DISABLED":   "true",
	}
}

// input sets an action input under the runner's name: upper case, spaces
// to underscores, hyphens kept (INPUT_ARTIFACT-NAME).
func input(env map[string]string, name, value string) {
	env["INPUT_"+strings.ToUpper(strings.ReplaceAll(name, " ", "_"))] = value
}

// writeFiles creates files under dir.
func writeFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func readFile(t testing.TB, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// parseOutputs reads a GITHUB_OUTPUT file in the multi-line syntax.
func parseOutputs(t testing.TB, data string) map[string]string {
	t.Helper()
	out := map[string]string{}
	lines := strings.Split(data, "\n")
	for i := 0; i < len(lines); i++ {
		if lines[i] == "" {
			continue
		}
		name, delim, ok := strings.Cut(lines[i], "<<")
		if !ok {
			t.Fatalf("output line %q is not name<<delimiter", lines[i])
		}
		var val []string
		for i++; i < len(lines) && lines[i] != delim; i++ {
			val = append(val, lines[i])
		}
		if i == len(lines) {
			t.Fatalf("output %s: no closing delimiter", name)
		}
		if _, dup := out[name]; dup {
			t.Errorf("output %s set twice", name)
		}
		out[name] = strings.Join(val, "\n")
	}
	return out
}

// newArtifactServer starts the fake artifact service. artifacttest sets
// Server.URL after its listener starts, and the requests come from another
// process, so the race detector sees no ordering between that write and the
// handler's read. A file write here orders them (internal/poll treats fd
// writes and reads as release and acquire). The fix belongs in
// artifacttest.NewServer (httptest.NewUnstartedServer, then Start).
func newArtifactServer(t *testing.T) *artifacttest.Server {
	srv := artifacttest.NewServer(t)
	if err := os.WriteFile(filepath.Join(t.TempDir(), "sync"), []byte(srv.URL), 0o644); err != nil {
		t.Fatal(err)
	}
	return srv
}

// pollIntervalEnv sets the deployer's poll delays (see internal/awssession).
const pollIntervalEnv = "STREAM_EVENTS_POLL_INTERVAL"
