package cli

import (
	"strings"
	"testing"

	"github.com/stream-events/stream-events/internal/artifact/artifacttest"
	"github.com/stream-events/stream-events/internal/exit"
)

// TestAction_OwnAnnotationsComeFirst: with more error findings than
// GitHub shows, the Action's own error (here a refused artifact upload that
// fails the step) is still among the ten, and the total stays within the
// limit.
func TestAction_OwnAnnotationsComeFirst(t *testing.T) {
	t.Parallel()
	ws := e2eWorkspace(t) // two services with nine errors each
	srv := newArtifactServer(t)
	srv.Inject(artifacttest.CreateArtifact, artifacttest.Fault{Status: 400, Msg: "invalid request"})
	env := runnerEnv(t, ws)
	env["ACTIONS_RESULTS_URL"], env["ACTIONS_RUNTIME_TOKEN"] = srv.URL, srv.Token
	input(env, "config", "services/*/serverless.yml")
	r := run(t, ws, env, "action")
	if r.code == exit.OK {
		t.Fatalf("the step should fail:\n%s", r.stdout)
	}
	var errs []string
	for _, l := range strings.Split(r.stdout, "\n") {
		if strings.HasPrefix(l, "::error") {
			errs = append(errs, l)
		}
	}
	if len(errs) > 10 {
		t.Errorf("%d error annotations, GitHub shows 10", len(errs))
	}
	if len(errs) == 0 || !strings.Contains(errs[0], "upload artifact") {
		t.Errorf("the Action's own error must come first, got %q", errs)
	}
}
