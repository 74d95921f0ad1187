package deploy

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"

	"github.com/stream-events/stream-events/internal/deploy/cfntest"
)

// isolateAWSEnv clears every variable the default chain reads, so these
// tests see neither the developer's AWS setup nor instance metadata. The
// tests using it cannot run in parallel (t.Setenv).
func isolateAWSEnv(t *testing.T) {
	dir := t.TempDir()
	for k, v := range map[string]string{
		"HOME": dir, "AWS_CONFIG_FILE": filepath.Join(dir, "config"),
		"AWS_SHARED_CREDENTIALS_FILE": filepath.Join(dir, "credentials"),
		"AWS_EC2_METADATA_DISABLED":   "true", "AWS_CA_BUNDLE": "", "AWS_PROFILE": "",
		"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_SESSION_TOKEN": "",
		"AWS_REGION": "", "AWS_DEFAULT_REGION": "", "AWS_ENDPOINT_URL": "",
		"AWS_ENDPOINT_URL_CLOUDFORMATION": "", "AWS_ENDPOINT_URL_STS": "",
		"AWS_ROLE_ARN": "", "AWS_WEB_IDENTITY_TOKEN_FILE": "",
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "",
	} {
		t.Setenv(k, v)
	}
}

// authRecorder answers DescribeStacks with "does not exist" and remembers
// the Authorization headers it saw.
type authRecorder struct {
	mu    sync.Mutex
	auths []string
}

func (a *authRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	a.auths = append(a.auths, r.Header.Get("Authorization"))
	a.mu.Unlock()
	cfntest.WriteError(w, cfntest.Fault{Status: 400, Code: "ValidationError", Message: "Stack with id x does not exist"})
}

func (a *authRecorder) last() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.auths) == 0 {
		return ""
	}
	return a.auths[len(a.auths)-1]
}

func callCFN(t *testing.T, cfg aws.Config) {
	t.Helper()
	_, err := cloudformation.NewFromConfig(cfg).DescribeStacks(context.Background(),
		&cloudformation.DescribeStacksInput{StackName: aws.String("x")})
	if !stackMissing(err) {
		t.Fatalf("DescribeStacks did not reach the fake: %v", err)
	}
}

func TestLoadAWSConfig_DefaultChainAndEndpointEnv(t *testing.T) {
	isolateAWSEnv(t)
	rec := &authRecorder{}
	srv := httptest.NewServer(rec)
	defer srv.Close()
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDENV")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_REGION", "eu-west-1")

	for _, env := range []string{"AWS_ENDPOINT_URL_CLOUDFORMATION", "AWS_ENDPOINT_URL"} {
		t.Run(env, func(t *testing.T) {
			t.Setenv(env, srv.URL)
			cfg, err := LoadAWSConfig(context.Background(), "", "", "")
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Region != "eu-west-1" || !HasCredentials(context.Background(), cfg) {
				t.Errorf("region %q, credentials %v", cfg.Region, HasCredentials(context.Background(), cfg))
			}
			callCFN(t, cfg)
			if got := rec.last(); !strings.Contains(got, "Credential=AKIDENV/") || !strings.Contains(got, "/eu-west-1/cloudformation/") {
				t.Errorf("Authorization = %q", got)
			}
		})
	}
	cfg, err := LoadAWSConfig(context.Background(), "us-west-2", "", "")
	if err != nil || cfg.Region != "us-west-2" {
		t.Errorf("the region argument must win over AWS_REGION: %q, %v", cfg.Region, err)
	}
	// CI machines set AWS_CA_BUNDLE; with the SDK's own HTTP client that
	// must still load (validation.md Q1 pitfall).
	if bundle := "/etc/ssl/certs/ca-certificates.crt"; fileExists(bundle) {
		t.Setenv("AWS_CA_BUNDLE", bundle)
		t.Setenv("AWS_ENDPOINT_URL", srv.URL)
		cfg, err := LoadAWSConfig(context.Background(), "", "", "")
		if err != nil {
			t.Fatalf("with AWS_CA_BUNDLE: %v", err)
		}
		callCFN(t, cfg)
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func TestLoadAWSConfig_AssumesRoleWithOIDCToken(t *testing.T) {
	isolateAWSEnv(t)
	var stsForm map[string][]string
	sts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		stsForm = r.Form
		w.Header().Set("Content-Type", "text/xml")
		fmt.Fprint(w, `<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleWithWebIdentityResult>`+
			`<Credentials><AccessKeyId>ASIAROLE</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>tok</SessionToken><Expiration>2099-01-01T00:00:00Z</Expiration></Credentials>`+
			`<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/deploy/s</Arn><AssumedRoleId>AROA:s</AssumedRoleId></AssumedRoleUser>`+
			`</AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>`)
	}))
	defer sts.Close()
	rec := &authRecorder{}
	cfn := httptest.NewServer(rec)
	defer cfn.Close()
	t.Setenv("AWS_ENDPOINT_URL_STS", sts.URL)
	t.Setenv("AWS_ENDPOINT_URL_CLOUDFORMATION", cfn.URL)

	cfg, err := LoadAWSConfig(context.Background(), "us-east-1", "arn:aws:iam::123456789012:role/deploy", "the.oidc.jwt")
	if err != nil {
		t.Fatal(err)
	}
	callCFN(t, cfg)
	if got := rec.last(); !strings.Contains(got, "Credential=ASIAROLE/") {
		t.Errorf("CloudFormation was not called with the role's keys: %q", got)
	}
	if stsForm["Action"][0] != "AssumeRoleWithWebIdentity" || stsForm["WebIdentityToken"][0] != "the.oidc.jwt" ||
		stsForm["RoleArn"][0] != "arn:aws:iam::123456789012:role/deploy" || !strings.HasPrefix(stsForm["RoleSessionName"][0], "stream-events-") {
		t.Errorf("STS form = %v", stsForm)
	}
}

func TestLoadAWSConfig_Errors(t *testing.T) {
	isolateAWSEnv(t)
	if _, err := LoadAWSConfig(context.Background(), "", "", ""); err == nil || !strings.Contains(err.Error(), "no AWS region") {
		t.Errorf("no region: err = %v", err)
	}
	_, err := LoadAWSConfig(context.Background(), "us-east-1", "arn:aws:iam::1:role/r", "")
	if err == nil || !strings.Contains(err.Error(), "id-token: write") {
		t.Errorf("no token: err = %v", err)
	}
	cfg, err := LoadAWSConfig(context.Background(), "us-east-1", "", "")
	if err != nil || HasCredentials(context.Background(), cfg) {
		t.Errorf("without any credentials: err %v, HasCredentials true", err)
	}
}
