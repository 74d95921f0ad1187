package cli

import (
	"bytes"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/mattn/go-shellwords"
)

// dockerBuild is the go build command of the Dockerfile's build stage:
// its environment assignments and arguments, with ${VERSION} and the
// target platform substituted.
func dockerBuild(t *testing.T, version string) (env, args []string) {
	t.Helper()
	data := readFile(t, filepath.Join(moduleRoot(t), "Dockerfile"))
	data = strings.ReplaceAll(data, "\\\n", " ") // line continuations
	var line string
	for _, l := range strings.Split(data, "\n") {
		if strings.HasPrefix(l, "RUN ") && strings.Contains(l, "go build") {
			line = strings.TrimPrefix(l, "RUN ")
		}
	}
	if line == "" {
		t.Fatal("no RUN ... go build line in the Dockerfile")
	}
	vars := map[string]string{"VERSION": version, "TARGETOS": runtime.GOOS, "TARGETARCH": runtime.GOARCH}
	line = regexp.MustCompile(`\$\{?(\w+)\}?`).ReplaceAllStringFunc(line, func(m string) string {
		name := strings.Trim(m, "${}")
		v, ok := vars[name]
		if !ok {
			t.Fatalf("Dockerfile build line uses $%s, which the test does not know", name)
		}
		return v
	})
	words, err := shellwords.Parse(line)
	if err != nil {
		t.Fatalf("parse %q: %v", line, err)
	}
	for len(words) > 0 && regexp.MustCompile(`^[A-Z_]+=`).MatchString(words[0]) {
		env, words = append(env, words[0]), words[1:]
	}
	if len(words) < 2 || words[0] != "go" || words[1] != "build" {
		t.Fatalf("unexpected build command %q", words)
	}
	return env, words[1:]
}

// TestDockerfile_StaticBinary builds the binary exactly as the Dockerfile
// does (no Docker engine runs here) and checks that it is static, small
// enough for a sub-25 MB image, stamped with the version, and runs in an
// empty environment as on distroless.
func TestDockerfile_StaticBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	t.Parallel()
	env, args := dockerBuild(t, "v1.2.3-docker")
	if !contains(env, "CGO_ENABLED=0") || !contains(args, "-trimpath") {
		t.Fatalf("the Dockerfile must build with CGO_ENABLED=0 and -trimpath: env %q args %q", env, args)
	}
	out := filepath.Join(t.TempDir(), "stream-events")
	for i, a := range args {
		if a == "-o" {
			args[i+1] = out // the Dockerfile's /out/... is not writable here
		}
	}
	cmd := exec.Command("go", args...)
	cmd.Dir = moduleRoot(t)
	cmd.Env = append(cmd.Environ(), env...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, b)
	}
	checkStatic(t, out)
	run := exec.Command(out, "version")
	run.Env = []string{} // nothing at all, as in a bare container
	var stdout bytes.Buffer
	run.Stdout = &stdout
	if err := run.Run(); err != nil || stdout.String() != "stream-events v1.2.3-docker\n" {
		t.Errorf("version: %v, output %q", err, stdout.String())
	}
}

func checkStatic(t *testing.T, path string) {
	t.Helper()
	f, err := elf.Open(path)
	if err != nil {
		t.Skipf("not an ELF platform: %v", err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("binary has a %v program header: it is not static", p.Type)
		}
	}
	if s := f.Section(".dynamic"); s != nil {
		t.Error("binary has a .dynamic section: it is not static")
	}
	// distroless/static is about 2 MB; the image limit is 25 MB.
	if fi, err := os.Stat(path); err != nil || fi.Size() > 22<<20 {
		t.Errorf("binary: %v; the image must stay under 25 MB", err)
	} else {
		t.Logf("binary is %.1f MB", float64(fi.Size())/(1<<20))
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
