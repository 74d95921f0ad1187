package awsvars

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/google/go-cmp/cmp"
)

// fakeAWS serves the three protocols the sources use on one loopback
// server: CloudFormation and STS Query (form POST, XML), SSM JSON 1.1
// (X-Amz-Target). Answers depend on the region in the SigV4 scope, so
// region parameters are observable.
type fakeAWS struct {
	mu     sync.Mutex
	calls  []string // "Service.Action region detail"
	delay  time.Duration
	denied int // SSM calls to refuse with AccessDeniedException first
}

var scopeRE = regexp.MustCompile(`Credential=[^/]+/\d+/([^/]+)/`)

func (f *fakeAWS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	time.Sleep(f.delay)
	region := ""
	if m := scopeRE.FindStringSubmatch(r.Header.Get("Authorization")); m != nil {
		region = m[1]
	}
	if target := r.Header.Get("X-Amz-Target"); target != "" {
		f.ssm(w, r, target, region)
		return
	}
	_ = r.ParseForm()
	f.record("%s %s %s", r.Form.Get("Action"), region, r.Form.Get("StackName"))
	w.Header().Set("Content-Type", "text/xml")
	switch r.Form.Get("Action") {
	case "GetCallerIdentity":
		fmt.Fprint(w, `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>`+
			`<Arn>arn:aws:iam::123456789012:user/ci</Arn><UserId>AIDAFAKE</UserId><Account>123456789012</Account>`+
			`</GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`)
	case "DescribeStacks":
		f.describeStacks(w, r.Form.Get("StackName"), region)
	default:
		w.WriteHeader(400)
		fmt.Fprint(w, `<ErrorResponse><Error><Code>InvalidAction</Code><Message>no</Message></Error></ErrorResponse>`)
	}
}

func (f *fakeAWS) record(format string, args ...any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, fmt.Sprintf(format, args...))
}

func (f *fakeAWS) callCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

func (f *fakeAWS) describeStacks(w http.ResponseWriter, name, region string) {
	if name != "shared-infra" {
		w.WriteHeader(400)
		fmt.Fprintf(w, `<ErrorResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id %s does not exist</Message></Error><RequestId>1</RequestId></ErrorResponse>`, name)
		return
	}
	fmt.Fprintf(w, `<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/"><DescribeStacksResult><Stacks><member>`+
		`<StackId>arn:aws:cloudformation:%[1]s:123456789012:stack/shared-infra/1</StackId><StackName>shared-infra</StackName>`+
		`<CreationTime>2026-01-01T00:00:00Z</CreationTime><StackStatus>UPDATE_COMPLETE</StackStatus><Outputs>`+
		`<member><OutputKey>StreamArn</OutputKey><OutputValue>arn:aws:kinesis:%[1]s:123456789012:stream/orders</OutputValue></member>`+
		`<member><OutputKey>TableName</OutputKey><OutputValue>orders-%[1]s</OutputValue></member>`+
		`</Outputs></member></Stacks></DescribeStacksResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></DescribeStacksResponse>`, region)
}

// fakeParams are the fake's parameters: type and value, the value given
// as ENCRYPTED when decryption is off for a SecureString.
var fakeParams = map[string][2]string{
	"/svc/batch":                       {"String", "100"},
	"/svc/streams":                     {"StringList", "one,two,three"},
	"/svc/secret":                      {"SecureString", `{"user":"u","port":5432}`},
	"/svc/token":                       {"SecureString", "12345678901234567890"},
	"/svc/not-object":                  {"SecureString", "{not json"},
	"/aws/reference/secretsmanager/db": {"SecureString", `{"password":"p"}`},
}

func (f *fakeAWS) ssm(w http.ResponseWriter, r *http.Request, target, region string) {
	var in struct {
		Name           string
		WithDecryption bool
	}
	body, _ := io.ReadAll(r.Body)
	_ = json.Unmarshal(body, &in)
	f.record("%s %s %s decrypt=%v", target, region, in.Name, in.WithDecryption)
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	f.mu.Lock()
	deny := f.denied > 0
	f.denied--
	f.mu.Unlock()
	p, ok := fakeParams[in.Name]
	switch {
	case deny:
		w.WriteHeader(400)
		fmt.Fprint(w, `{"__type":"AccessDeniedException","message":"not allowed"}`)
		return
	case !ok:
		w.WriteHeader(400)
		fmt.Fprint(w, `{"__type":"ParameterNotFound","message":""}`)
		return
	}
	value := p[1]
	if p[0] == "SecureString" && !in.WithDecryption {
		value = "ENCRYPTED"
	}
	if in.Name == "/svc/batch" && region != "us-east-1" {
		value += "-" + region
	}
	out, _ := json.Marshal(map[string]any{"Parameter": map[string]any{"Name": in.Name, "Type": p[0], "Value": value, "Version": 1}})
	w.Write(out)
}

func newTestSource(t *testing.T) (*Source, *fakeAWS) {
	f := &fakeAWS{}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return New(aws.Config{
		Region:       "us-east-1",
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
		BaseEndpoint: aws.String(srv.URL),
		Retryer:      func() aws.Retryer { return aws.NopRetryer{} },
	}), f
}

func TestResolve_Values(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind, param, address string
		want                 any
	}{
		{"cf", "", "shared-infra.StreamArn", "arn:aws:kinesis:us-east-1:123456789012:stream/orders"},
		{"cf", "eu-west-1", "shared-infra.TableName", "orders-eu-west-1"},
		{"ssm", "", "/svc/batch", "100"},
		{"ssm", "eu-central-1", "/svc/batch", "100-eu-central-1"},
		{"ssm", "", "/svc/streams", []any{"one", "two", "three"}},
		{"ssm", "raw", "/svc/streams", "one,two,three"},
		{"ssm", "", "/svc/secret", map[string]any{"user": "u", "port": float64(5432)}},
		{"ssm", "raw", "/svc/secret", `{"user":"u","port":5432}`},
		{"ssm", "", "/svc/token", "12345678901234567890"},
		{"ssm", "", "/svc/not-object", "{not json"},
		{"ssm", "noDecrypt", "/svc/secret", "ENCRYPTED"},
		{"ssm", "noDecrypt, eu-west-1", "/svc/token", "ENCRYPTED"},
		{"ssm", "eu-west-1, raw", "/aws/reference/secretsmanager/db", `{"password":"p"}`},
		{"ssm", "", "/aws/reference/secretsmanager/db", map[string]any{"password": "p"}},
		{"aws", "", "accountId", "123456789012"},
		{"aws", "", "region", "us-east-1"},
	}
	for _, tt := range tests {
		t.Run(tt.kind+"("+tt.param+"):"+tt.address, func(t *testing.T) {
			t.Parallel()
			s, _ := newTestSource(t)
			got, err := s.Resolve(context.Background(), tt.kind, tt.param, tt.address)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestResolve_RequestsCarryRegionAndDecryption(t *testing.T) {
	t.Parallel()
	s, f := newTestSource(t)
	ctx := context.Background()
	for _, v := range [][2]string{{"noDecrypt, eu-west-1", "/svc/token"}, {"", "/svc/secret"}} {
		if _, err := s.Resolve(ctx, "ssm", v[0], v[1]); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{
		"AmazonSSM.GetParameter eu-west-1 /svc/token decrypt=false",
		"AmazonSSM.GetParameter us-east-1 /svc/secret decrypt=true",
	}
	if d := cmp.Diff(want, f.calls); d != "" {
		t.Errorf("calls (-want +got):\n%s", d)
	}
}

func TestResolve_NotFound(t *testing.T) {
	t.Parallel()
	tests := []struct{ kind, param, address, msg string }{
		{"cf", "", "missing-stack.Out", `stack "missing-stack" not found`},
		{"cf", "eu-west-1", "shared-infra.Nope", `output "Nope" of stack "shared-infra" in eu-west-1 not found`},
		{"ssm", "", "/svc/missing", `SSM parameter "/svc/missing" not found`},
	}
	for _, tt := range tests {
		t.Run(tt.address, func(t *testing.T) {
			t.Parallel()
			s, f := newTestSource(t)
			_, err := s.Resolve(context.Background(), tt.kind, tt.param, tt.address)
			if !errors.Is(err, ErrNotFound) || err.Error() != tt.msg {
				t.Fatalf("err = %v, want %q wrapping ErrNotFound", err, tt.msg)
			}
			n := f.callCount()
			_, err = s.Resolve(context.Background(), tt.kind, tt.param, tt.address)
			if !errors.Is(err, ErrNotFound) || f.callCount() != n {
				t.Errorf("not-found was not memoized: %v, calls %d -> %d", err, n, f.callCount())
			}
		})
	}
}

func TestResolve_Errors(t *testing.T) {
	t.Parallel()
	tests := []struct{ kind, param, address, want string }{
		{"cf", "", "no-dot", `expected <stack-name>.<output-key>`},
		{"cf", "", "stack.", `expected <stack-name>.<output-key>`},
		{"ssm", "", "", `missing address`},
		{"ssm", "", "/svc/secret~true", `~true suffix is Serverless v2 syntax`},
		{"ssm", "", "/svc/streams~split", `~split suffix`},
		{"aws", "", "partition", `expected accountId or region`},
		{"self", "", "custom.x", `does not need AWS`},
	}
	for _, tt := range tests {
		t.Run(tt.kind+":"+tt.address, func(t *testing.T) {
			t.Parallel()
			s, f := newTestSource(t)
			_, err := s.Resolve(context.Background(), tt.kind, tt.param, tt.address)
			if err == nil || !strings.Contains(err.Error(), tt.want) || errors.Is(err, ErrNotFound) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
			if f.callCount() != 0 {
				t.Errorf("AWS was called: %q", f.calls)
			}
		})
	}
}

func TestResolve_Memoizes(t *testing.T) {
	t.Parallel()
	s, f := newTestSource(t)
	f.delay = 20 * time.Millisecond // concurrent callers overlap
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			for _, v := range [][3]string{
				{"ssm", "", "/svc/batch"}, {"aws", "", "accountId"},
				{"cf", "", "shared-infra.StreamArn"}, {"cf", "", "shared-infra.TableName"},
			} {
				if _, err := s.Resolve(ctx, v[0], v[1], v[2]); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	// One GetParameter, one GetCallerIdentity, one DescribeStacks for both outputs.
	if n := f.callCount(); n != 3 {
		t.Errorf("calls = %d, want 3: %q", n, f.calls)
	}
	// A different param is a different variable.
	if _, err := s.Resolve(ctx, "cf", "eu-west-1", "shared-infra.StreamArn"); err != nil || f.callCount() != 4 {
		t.Errorf("regional cf: %v, calls %d", err, f.callCount())
	}
}

func TestResolve_RetriesAfterFailure(t *testing.T) {
	t.Parallel()
	s, f := newTestSource(t)
	f.denied = 1
	ctx := context.Background()
	if _, err := s.Resolve(ctx, "ssm", "", "/svc/batch"); err == nil || !strings.Contains(err.Error(), "AccessDeniedException") {
		t.Fatalf("err = %v, want AccessDeniedException", err)
	}
	got, err := s.Resolve(ctx, "ssm", "", "/svc/batch")
	if err != nil || got != "100" {
		t.Errorf("second call = %v, %v; a failure must not be memoized", got, err)
	}
}

// TestResolve_SecureStringsAreSecrets: a decrypted SecureString, and every
// string inside a JSON one, is handed to Secret before it is returned (the
// Action then masks it everywhere and refuses a template holding it); plain
// Strings and undecrypted values are not.
func TestResolve_SecureStringsAreSecrets(t *testing.T) {
	t.Parallel()
	tests := []struct {
		param, address string
		want           []string
	}{
		{"", "/svc/token", []string{"12345678901234567890"}},
		{"", "/svc/secret", []string{`{"user":"u","port":5432}`, "u"}},
		{"raw", "/svc/secret", []string{`{"user":"u","port":5432}`}},
		{"", "/aws/reference/secretsmanager/db", []string{`{"password":"p"}`, "p"}},
		{"noDecrypt", "/svc/token", nil},
		{"", "/svc/batch", nil},
	}
	for _, tt := range tests {
		s, _ := newTestSource(t)
		var got []string
		s.Secret = func(v, from string) {
			if !strings.Contains(from, tt.address) {
				t.Errorf("%s: from %q does not name the parameter", tt.address, from)
			}
			got = append(got, v)
		}
		if _, err := s.Resolve(context.Background(), "ssm", tt.param, tt.address); err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("ssm(%s):%s secrets (-want +got):\n%s", tt.param, tt.address, d)
		}
	}
}
