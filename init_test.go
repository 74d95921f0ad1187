package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// initLine is one line of GODEBUG=inittrace=1:
// "init PKG @0.98 ms, 0.014 ms clock, 10152 bytes, 47 allocs".
var initLine = regexp.MustCompile(`^init (\S+) @\S+ ms, ([0-9.]+) ms clock, (\d+) bytes, (\d+) allocs$`)

type initCost struct {
	ms            float64
	bytes, allocs int
}

// initCosts runs bin with GODEBUG=inittrace=1 and sums each package's
// initialisation under the prefix that key returns ("" drops a package).
func initCosts(t *testing.T, bin string, key func(pkg string) string) map[string]initCost {
	t.Helper()
	cmd := exec.Command(bin, "version")
	cmd.Env = append(os.Environ(), "GODEBUG=inittrace=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("version: %v\n%s", err, out)
	}
	sums := map[string]initCost{}
	for line := range strings.Lines(string(out)) {
		m := initLine.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		k := key(strings.ReplaceAll(m[1], "%2e", "."))
		if k == "" {
			continue
		}
		ms, _ := strconv.ParseFloat(m[2], 64)
		b, _ := strconv.Atoi(m[3])
		a, _ := strconv.Atoi(m[4])
		c := sums[k]
		sums[k] = initCost{c.ms + ms, c.bytes + b, c.allocs + a}
	}
	return sums
}

// TestInitWork keeps start-up free of our own work: every command, even
// `version`, runs every linked package's initialisation first. Patterns and
// tables are built on first use (internal/lazyre, sync.Once) instead. Our
// packages did about 9,400 allocations (860 kB, 2 ms) before that change
// and about 220 (49 kB, 0.2 ms) after; the bounds leave room for growth
// and for a loaded machine (the time is the fastest of five runs) while a
// single package-level regexp with alternatives breaks them (the two of
// internal/compile's --base ordering added 250 allocations and 0.4 ms, under
// the first bounds of 1,000 allocations and 200 kB). The
// AWS SDK's share is logged per service, for whoever adds a client, and
// bounded in total.
func TestInitWork(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "stream-events")
	if out, err := exec.Command("go", "build", "-trimpath", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	const module = "github.com/stream-events/stream-events"
	ours := func(pkg string) string {
		if pkg == module || strings.HasPrefix(pkg, module+"/") {
			return module
		}
		return ""
	}
	best := initCosts(t, bin, ours)[module]
	for range 4 {
		if c := initCosts(t, bin, ours)[module]; c.ms < best.ms {
			best.ms = c.ms
		}
	}
	t.Logf("our packages at init: %.3f ms (fastest of 5), %d bytes, %d allocs", best.ms, best.bytes, best.allocs)
	if best.allocs > 400 || best.bytes > 100_000 {
		t.Errorf("our packages allocate %d times (%d bytes) at init, bound 400 (100 kB): build patterns and tables on first use", best.allocs, best.bytes)
	}
	if best.ms > 1 {
		t.Errorf("our packages take %.3f ms at init (fastest of 5 runs), bound 1 ms", best.ms)
	}

	sdk := initCosts(t, bin, func(pkg string) string {
		if rest, ok := strings.CutPrefix(pkg, "github.com/aws/aws-sdk-go-v2/service/"); ok {
			svc, _, _ := strings.Cut(rest, "/")
			return "service/" + svc
		}
		if strings.HasPrefix(pkg, "github.com/aws/") {
			return "sdk core"
		}
		return ""
	})
	keys := make([]string, 0, len(sdk))
	for k := range sdk {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var total initCost
	for _, k := range keys {
		t.Logf("AWS SDK %s at init: %.3f ms, %d bytes, %d allocs", k, sdk[k].ms, sdk[k].bytes, sdk[k].allocs)
		total.bytes += sdk[k].bytes
		total.allocs += sdk[k].allocs
	}
	// The service clients are pinned to their last releases without
	// generated schema tables (go.mod, README "Dependencies"): with those
	// tables the SDK's initialisation was 37,700 allocations and 6.1 MB,
	// 14 ms of every command here; without, 10,800 and 1.4 MB. An upgrade
	// that brings the tables back fails here, so that it is a decision.
	if total.allocs > 13_000 || total.bytes > 2_000_000 {
		t.Errorf("the AWS SDK allocates %d times (%d bytes) at init, bound 13,000 (2 MB): did a service client move to a release with generated schema tables? See README, Dependencies", total.allocs, total.bytes)
	}
}
