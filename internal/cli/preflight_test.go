package cli

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stream-events/stream-events/internal/deploy/cfntest"
)

// TestPreflight_AccessDeniedExits3: a pre-flight read the credentials may
// not do names the IAM action and exits 3, in the command and in the
// Action, before any change set. Lambda answers over its REST-JSON
// protocol.
func TestPreflight_AccessDeniedExits3(t *testing.T) {
	t.Parallel()
	lambdaFake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Amzn-Errortype", "AccessDeniedException")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte(`{"Message": "User is not authorized to perform: lambda:GetFunction"}`))
	}))
	t.Cleanup(lambdaFake.Close)
	for _, how := range []string{"command", "action"} {
		t.Run(how, func(t *testing.T) {
			t.Parallel()
			ws, cfn := shopWorkspace(t), cfntest.NewServer(t)
			env := deployEnv(t, ws, cfn)
			env["AWS_ENDPOINT_URL_LAMBDA"] = lambdaFake.URL
			var r result
			if how == "command" {
				r = run(t, ws, env, "deploy", "--parameter", "OrdersTableStreamArn="+shopStreamArn)
			} else {
				event(t, env, "push", "refs/heads/main")
				input(env, "deploy", "preview")
				input(env, "preflight", "true")
				input(env, "artifact-name", "")
				input(env, "template-parameters", "OrdersTableStreamArn: "+shopStreamArn)
				r = run(t, ws, env, "action")
			}
			if r.code != 3 || !strings.Contains(r.stderr+r.stdout, "the credentials may not call lambda:GetFunction (function shop-dev-worker)") {
				t.Errorf("exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			if n := len(cfn.Requests("CreateChangeSet")); n != 0 {
				t.Errorf("%d change set(s) created", n)
			}
		})
	}
}
