package cli

import (
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stream-events/stream-events/internal/artifact/artifacttest"
	"github.com/stream-events/stream-events/internal/deploy/cfntest"
	"github.com/stream-events/stream-events/internal/exit"
)

// The job's OIDC token, the runner's token to request it, and what STS
// hands out for it. None of them may reach anything the Action writes.
const (
	oidcRole         = "arn:aws:iam::123456789012:role/stream-events-preview"
	oidcRequestToken = "ghrt_IDTokenRequest0123456789abcdefABCDEF"
	oidcJWT          = "eyJhbGciOiJSUzI1NiIsImtpZCI6InRlc3QifQ." +
		"eyJzdWIiOiJyZXBvOmFjbWUvc2hvcDpwdWxsX3JlcXVlc3QiLCJhdWQiOiJzdHMuYW1hem9uYXdzLmNvbSJ9." +
		"c2lnbmF0dXJlLW5vdC1jaGVja2VkLWJ5LXRoZS1mYWtl"
	assumedKeyID     = "ASIAASSUMEDROLEKEY01"
	assumedSecret    = "assumed/Secret+Key/0123456789abcdefghijKLMN"
	assumedSession   = "FwoGZXIvYXdzEAssumedRoleSessionToken0123456789+/abc="
	oidcDefaultKeyID = "AKIAIOSFODNN7EXAMPLE"
)

// tokenService is the runner's OIDC token endpoint
// (ACTIONS_ID_TOKEN_REQUEST_URL).
type tokenService struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []*http.Request // clones, bodies unread
}

func newTokenService(t *testing.T) *tokenService {
	ts := &tokenService{}
	ts.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ts.mu.Lock()
		ts.reqs = append(ts.reqs, r.Clone(r.Context()))
		ts.mu.Unlock()
		scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
		if r.Method != http.MethodGet || !strings.EqualFold(scheme, "bearer") || tok != oidcRequestToken {
			http.Error(w, `{"message":"bad request token"}`, http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"count":1,"value":%q}`, oidcJWT)
	}))
	t.Cleanup(ts.Close)
	return ts
}

func (ts *tokenService) requests() []*http.Request {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]*http.Request(nil), ts.reqs...)
}

// stsService answers AssumeRoleWithWebIdentity in the Query protocol.
type stsService struct {
	*httptest.Server
	mu    sync.Mutex
	forms []url.Values
	auths []string
}

func newSTSService(t *testing.T) *stsService {
	s := &stsService{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := r.ParseForm()
		s.mu.Lock()
		s.forms = append(s.forms, r.PostForm)
		s.auths = append(s.auths, r.Header.Get("Authorization"))
		s.mu.Unlock()
		w.Header().Set("Content-Type", "text/xml")
		if err != nil || r.PostForm.Get("Action") != "AssumeRoleWithWebIdentity" ||
			r.PostForm.Get("WebIdentityToken") != oidcJWT || r.PostForm.Get("RoleArn") != oidcRole {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>`+
				`<Code>InvalidIdentityToken</Code><Message>Incorrect token audience</Message></Error><RequestId>sts-1</RequestId></ErrorResponse>`)
			return
		}
		session := r.PostForm.Get("RoleSessionName")
		fmt.Fprintf(w, `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">`+
			`<AssumeRoleWithWebIdentityResult>`+
			`<SubjectFromWebIdentityToken>repo:acme/shop:pull_request</SubjectFromWebIdentityToken>`+
			`<Audience>sts.amazonaws.com</Audience>`+
			`<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/stream-events-preview/%s</Arn>`+
			`<AssumedRoleId>AROAEXAMPLEROLEID:%s</AssumedRoleId></AssumedRoleUser>`+
			`<Credentials><SessionToken>%s</SessionToken><SecretAccessKey>%s</SecretAccessKey>`+
			`<Expiration>%s</Expiration><AccessKeyId>%s</AccessKeyId></Credentials>`+
			`<Provider>arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com</Provider>`+
			`</AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>sts-1</RequestId></ResponseMetadata>`+
			`</AssumeRoleWithWebIdentityResponse>`,
			session, session, assumedSession, assumedSecret,
			time.Now().Add(time.Hour).UTC().Format(time.RFC3339), assumedKeyID)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *stsService) requests() (forms []url.Values, auths []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]url.Values(nil), s.forms...), append([]string(nil), s.auths...)
}

// signedCFN is the cfntest fake behind a front that records how each
// request was signed.
type signedCFN struct {
	*cfntest.Server
	URL  string
	mu   sync.Mutex
	sigs []cfnSignature
}

type cfnSignature struct{ action, auth, token string }

func newSignedCFN(t *testing.T) *signedCFN {
	s := &signedCFN{Server: cfntest.NewServer(t)}
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm() // the fake parses the same form again
		s.mu.Lock()
		s.sigs = append(s.sigs, cfnSignature{r.PostForm.Get("Action"), r.Header.Get("Authorization"), r.Header.Get("X-Amz-Security-Token")})
		s.mu.Unlock()
		s.Server.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	s.URL = front.URL
	return s
}

func (s *signedCFN) signatures() []cfnSignature {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]cfnSignature(nil), s.sigs...)
}

var sigV4CredentialRE = regexp.MustCompile(`Credential=([^/,]+)/\d{8}/([^/]+)/([^/]+)/aws4_request`)

// oidcEnv is a pull request job with permissions: id-token: write, which
// gives the container ACTIONS_ID_TOKEN_REQUEST_URL and _TOKEN, and a deploy
// with role-to-assume.
func oidcEnv(t *testing.T, ws string, tokens *tokenService, sts *stsService, cfn *signedCFN) map[string]string {
	env := runnerEnv(t, ws)
	env["ACTIONS_ID_TOKEN_REQUEST_URL"] = tokens.URL + "/_apis/distributedtask/hubs/build/plans/p/jobs/j/idtoken?api-version=2.0"
	env["ACTIONS_ID_TOKEN_REQUEST_TOKEN"] = oidcRequestToken
	env["AWS_ENDPOINT_URL_STS"] = sts.URL
	env["AWS_ENDPOINT_URL_CLOUDFORMATION"] = cfn.URL
	env["AWS_ENDPOINT_URL"] = "http://127.0.0.1:1" // every other AWS service is unreachable
	env[pollIntervalEnv] = "2ms"
	event(t, env, "pull_request", "refs/pull/7/merge")
	input(env, "deploy", "preview")
	input(env, "role-to-assume", oidcRole)
	input(env, "template-parameters", "OrdersTableStreamArn: "+shopStreamArn)
	input(env, "preflight", "false")
	return env
}

func TestAction_OIDCRoleToAssume(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		defaults bool // the job also has static credentials, which must not be used
	}{{"only OIDC", false}, {"OIDC over default credentials", true}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// GIVEN a job allowed to mint OIDC tokens, STS, CloudFormation and
			// the artifact service
			ws, tokens, sts, cfn, arts := shopWorkspace(t), newTokenService(t), newSTSService(t), newSignedCFN(t), newArtifactServer(t)
			env := oidcEnv(t, ws, tokens, sts, cfn)
			env["ACTIONS_RESULTS_URL"], env["ACTIONS_RUNTIME_TOKEN"] = arts.URL, arts.Token
			if tc.defaults {
				env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"] = oidcDefaultKeyID, "default/secret/key/for/tests/only/0123456789"
			}

			// WHEN
			r := run(t, ws, env, "action")

			// THEN the preview ran
			if r.code != 0 {
				t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.stdout, r.stderr)
			}
			out := parseOutputs(t, readFile(t, env["GITHUB_OUTPUT"]))
			if out["has-changes"] != "true" || !strings.Contains(out["change-set-id"], ":changeSet/") {
				t.Errorf("outputs: %v", out)
			}
			// ... with one token, requested as actions/toolkit does
			checkTokenRequests(t, tokens.requests())
			// ... exchanged once for the role
			checkAssumeRole(t, sts)
			// ... whose credentials, and no others, signed every CloudFormation call
			checkSignedWithAssumed(t, cfn)
			// ... and none of those secrets reaches what the Action writes
			checkNoOIDCSecret(t, ws, env, r, arts)
		})
	}
}

func checkTokenRequests(t *testing.T, reqs []*http.Request) {
	t.Helper()
	if len(reqs) != 1 {
		t.Fatalf("%d OIDC token requests, want 1", len(reqs))
	}
	r := reqs[0]
	q := r.URL.Query()
	if r.Method != http.MethodGet || q.Get("audience") != "sts.amazonaws.com" || q.Get("api-version") != "2.0" ||
		!strings.HasSuffix(r.URL.Path, "/idtoken") {
		t.Errorf("token request %s %s", r.Method, r.URL)
	}
	if scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " "); !strings.EqualFold(scheme, "bearer") || tok != oidcRequestToken {
		t.Errorf("token request Authorization is not bearer ACTIONS_ID_TOKEN_REQUEST_TOKEN")
	}
}

func checkAssumeRole(t *testing.T, sts *stsService) {
	t.Helper()
	forms, auths := sts.requests()
	if len(forms) != 1 {
		t.Fatalf("%d STS requests, want 1", len(forms))
	}
	f := forms[0]
	if f.Get("Action") != "AssumeRoleWithWebIdentity" || f.Get("RoleArn") != oidcRole || f.Get("WebIdentityToken") != oidcJWT ||
		!strings.HasPrefix(f.Get("RoleSessionName"), "stream-events-") {
		t.Errorf("STS request: Action=%s RoleArn=%s RoleSessionName=%s token sent: %v",
			f.Get("Action"), f.Get("RoleArn"), f.Get("RoleSessionName"), f.Get("WebIdentityToken") == oidcJWT)
	}
	if strings.Contains(auths[0], oidcDefaultKeyID) {
		t.Errorf("AssumeRoleWithWebIdentity was signed with the job's default credentials: %s", auths[0])
	}
}

func checkSignedWithAssumed(t *testing.T, cfn *signedCFN) {
	t.Helper()
	sigs := cfn.signatures()
	actions := map[string]bool{}
	for _, s := range sigs {
		actions[s.action] = true
		m := sigV4CredentialRE.FindStringSubmatch(s.auth)
		if m == nil || m[1] != assumedKeyID || m[2] != "eu-west-1" || m[3] != "cloudformation" || s.token != assumedSession {
			t.Errorf("%s signed as %q with session token %v, want %s/…/eu-west-1/cloudformation and the assumed session",
				s.action, s.auth, s.token == assumedSession, assumedKeyID)
		}
	}
	for _, a := range []string{"DescribeStacks", "CreateChangeSet", "DescribeChangeSet", "DeleteChangeSet"} {
		if !actions[a] {
			t.Errorf("no %s request; saw %q", a, cfn.Requests())
		}
	}
}

// checkNoOIDCSecret looks for the tokens and assumed credentials in the
// log, the command files, every file under the workspace and RUNNER_TEMP,
// and the uploaded artifact.
func checkNoOIDCSecret(t *testing.T, ws string, env map[string]string, r result, arts *artifacttest.Server) {
	t.Helper()
	secrets := map[string]string{"the OIDC token": oidcJWT, "ACTIONS_ID_TOKEN_REQUEST_TOKEN": oidcRequestToken,
		"the assumed secret key": assumedSecret, "the assumed session token": assumedSession,
		"the assumed access key ID": assumedKeyID}
	places := map[string]string{"stdout": r.stdout, "stderr": r.stderr,
		"GITHUB_OUTPUT": readFile(t, env["GITHUB_OUTPUT"]), "GITHUB_STEP_SUMMARY": readFile(t, env["GITHUB_STEP_SUMMARY"])}
	for _, root := range []string{ws, env["RUNNER_TEMP"]} {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			places["file "+p] = string(b)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if arts != nil {
		a, ok := arts.Artifact("stream-events-template")
		if !ok {
			t.Fatal("no artifact uploaded")
		}
		for name, data := range zipEntries(t, a.Data) {
			places["artifact entry "+name] = data
		}
	}
	for where, data := range places {
		for name, secret := range secrets {
			if strings.Contains(data, secret) {
				t.Errorf("%s contains %s", where, name)
			}
		}
	}
	for _, want := range []string{"file " + filepath.Join(ws, ".stream-events", "templates", "serverless.template.json"),
		"file " + env["GITHUB_OUTPUT"], "artifact entry summary.md"} {
		if _, ok := places[want]; !ok {
			t.Errorf("did not check %s", want)
		}
	}
}

func TestAction_OIDCWithoutIDTokenPermission(t *testing.T) {
	t.Parallel()
	// GIVEN a job without permissions: id-token: write (the runner sets no
	// ACTIONS_ID_TOKEN_REQUEST_* variables) but with static credentials
	ws, tokens, sts, cfn := shopWorkspace(t), newTokenService(t), newSTSService(t), newSignedCFN(t)
	env := oidcEnv(t, ws, tokens, sts, cfn)
	delete(env, "ACTIONS_ID_TOKEN_REQUEST_URL")
	delete(env, "ACTIONS_ID_TOKEN_REQUEST_TOKEN")
	env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"] = oidcDefaultKeyID, "default/secret/key/for/tests/only/0123456789"
	input(env, "artifact-name", "")

	// WHEN
	r := run(t, ws, env, "action")

	// THEN the step fails with an error annotation that names the permission
	if r.code != exit.IO {
		t.Errorf("exit %d, want %d", r.code, exit.IO)
	}
	ann := regexp.MustCompile(`(?m)^::error::.*$`).FindAllString(r.stdout, -1)
	if len(ann) == 0 || !strings.Contains(ann[0], "id-token: write") || !strings.Contains(ann[0], "ACTIONS_ID_TOKEN_REQUEST_URL") ||
		!strings.Contains(ann[0], oidcRole) {
		t.Errorf("error annotations %q\nstdout:\n%s\nstderr:\n%s", ann, r.stdout, r.stderr)
	}
	// ... and nothing falls back to the job's other credentials
	if n := len(cfn.signatures()); n != 0 {
		t.Errorf("%d CloudFormation requests without the role: %q", n, cfn.Requests())
	}
	if forms, _ := sts.requests(); len(forms) != 0 || len(tokens.requests()) != 0 {
		t.Errorf("%d STS and %d token requests", len(forms), len(tokens.requests()))
	}
	out := parseOutputs(t, readFile(t, env["GITHUB_OUTPUT"]))
	if !strings.Contains(out["deployments"], "id-token: write") {
		t.Errorf("deployments output lacks the cause: %s", out["deployments"])
	}
	if sum := readFile(t, env["GITHUB_STEP_SUMMARY"]); !strings.Contains(sum, "**Not deployed**") || !strings.Contains(sum, "id-token: write") {
		t.Errorf("summary lacks the cause:\n%s", sum)
	}
}
