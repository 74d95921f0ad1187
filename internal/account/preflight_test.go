package account

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/stream-events/stream-events/internal/diag"
	"github.com/stream-events/stream-events/internal/preflight"
)

// jsonFake answers every request with status and body, as a service of
// the JSON protocols does (Kinesis: X-Amz-Target; Lambda: REST with the
// error type in X-Amzn-Errortype), and records the operations asked.
func jsonFake(t *testing.T, status int, errType, body string, asked *[]string) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		*asked = append(*asked, r.Header.Get("X-Amz-Target")+r.URL.Path)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		if errType != "" {
			w.Header().Set("X-Amzn-Errortype", errType)
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func preflightReader(lambdaURL, kinesisURL string) *Reader {
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", ""),
		Retryer: func() aws.Retryer { return aws.NopRetryer{} }}
	return &Reader{region: cfg.Region,
		lambda:  lambda.NewFromConfig(cfg, func(o *lambda.Options) { o.BaseEndpoint = aws.String(lambdaURL) }),
		kinesis: kinesis.NewFromConfig(cfg, func(o *kinesis.Options) { o.BaseEndpoint = aws.String(kinesisURL) })}
}

// TestPreflightReads_Failures: an AccessDenied during a pre-flight read
// names the IAM action to grant and is typed for exit 3; throttling that
// outlasts the retries is a read error naming the call.
func TestPreflightReads_Failures(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		lambda  bool // the failing service: Lambda, else Kinesis
		status  int
		errType string
		body    string
		call    func(r *Reader) error
		want    string
		denied  bool
	}{
		"GetFunction AccessDenied": {lambda: true, status: 403, errType: "AccessDeniedException",
			body: `{"Message": "not authorized to perform: lambda:GetFunction"}`,
			call: func(r *Reader) error { _, err := r.Function(context.Background(), "svc-dev-worker", ""); return err },
			want: "the credentials may not call lambda:GetFunction (function svc-dev-worker)", denied: true},
		"ListEventSourceMappings AccessDenied": {lambda: true, status: 403, errType: "AccessDeniedException",
			body: `{"Message": "no"}`,
			call: func(r *Reader) error {
				_, err := r.Mappings(context.Background(), "svc-dev-worker", "arn:s")
				return err
			},
			want: "the credentials may not call lambda:ListEventSourceMappings", denied: true},
		"GetFunction throttled": {lambda: true, status: 429, errType: "TooManyRequestsException",
			body: `{"Message": "Rate exceeded", "Reason": "CallerRateLimitExceeded"}`,
			call: func(r *Reader) error {
				_, err := r.Function(context.Background(), "svc-dev-worker", "provisioned")
				return err
			},
			want: "lambda:GetFunction (function svc-dev-worker:provisioned): "},
		"DescribeStreamSummary AccessDenied": {status: 400,
			body: `{"__type": "AccessDeniedException", "message": "no"}`,
			call: func(r *Reader) error {
				_, err := r.KinesisStream(context.Background(), "arn:aws:kinesis:us-east-1:1:stream/s")
				return err
			},
			want: "the credentials may not call kinesis:DescribeStreamSummary", denied: true},
		"ListStreamConsumers throttled": {status: 400,
			body: `{"__type": "LimitExceededException", "message": "Rate exceeded"}`,
			call: func(r *Reader) error {
				_, err := r.StreamConsumers(context.Background(), "arn:aws:kinesis:us-east-1:1:stream/s")
				return err
			},
			want: "kinesis:ListStreamConsumers (the consumers of stream arn:aws:kinesis:us-east-1:1:stream/s): "},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var asked []string
			url := jsonFake(t, tc.status, tc.errType, tc.body, &asked)
			r := preflightReader("http://127.0.0.1:1", url)
			if tc.lambda {
				r = preflightReader(url, "http://127.0.0.1:1")
			}
			err := tc.call(r)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			var ad *AccessDeniedError
			if errors.As(err, &ad) != tc.denied {
				t.Errorf("AccessDenied typed: %v, want %v (%T)", !tc.denied, tc.denied, err)
			}
			if len(asked) != 1 {
				t.Errorf("asked %v", asked)
			}
		})
	}
}

// TestPreflight_ConsumerQuota reads the stream's consumers over the
// Kinesis JSON protocol (moto's CloudFormation has no
// AWS::Kinesis::StreamConsumer): 19 registered plus one new is the
// limit; a second new one passes it.
func TestPreflight_ConsumerQuota(t *testing.T) {
	t.Parallel()
	const stream = "arn:aws:kinesis:us-east-1:123456789012:stream/events"
	var consumers []string
	for i := range 19 {
		consumers = append(consumers, fmt.Sprintf(`{"ConsumerName": "c%d", "ConsumerARN": "%s/consumer/c%d:1", "ConsumerStatus": "ACTIVE", "ConsumerCreationTimestamp": 1}`, i, stream, i))
	}
	var asked []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		target := r.Header.Get("X-Amz-Target")
		asked = append(asked, target)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		if target == "Kinesis_20131202.DescribeStreamSummary" {
			_, _ = w.Write([]byte(`{"StreamDescriptionSummary": {"StreamName": "events", "StreamARN": "` + stream + `", "StreamStatus": "ACTIVE"}}`))
			return
		}
		_, _ = w.Write([]byte(`{"Consumers": [` + strings.Join(consumers, ",") + `]}`))
	}))
	t.Cleanup(srv.Close)
	url := srv.URL
	r := preflightReader("http://127.0.0.1:1", url)
	target := func(consumer string, line int) preflight.Target {
		return preflight.Target{Range: diag.Range{File: "serverless.yml", Start: diag.Pos{Line: line, Col: 11}}, Kind: "kinesis", Stream: stream, Consumer: consumer}
	}
	fs, err := preflight.Check(context.Background(), r, preflight.Stacks{}, []preflight.Target{target("a", 10), target("c3", 20)})
	if err != nil || len(fs) != 0 {
		t.Fatalf("19 + 1 new (c3 exists): %v, %v", fs, err)
	}
	fs, err = preflight.Check(context.Background(), r, preflight.Stacks{}, []preflight.Target{target("a", 10), target("b", 20)})
	if err != nil || len(fs) != 1 || fs[0].Rule != preflight.RuleConsumers || fs[0].Range.Start.Line != 10 ||
		!strings.Contains(fs[0].Message, "has 19 registered consumer(s); with this template's it would have 21, over Kinesis's limit of 20") {
		t.Fatalf("19 + 2 new: %v, %v", fs, err)
	}
	if n := strings.Count(strings.Join(asked, " "), "ListStreamConsumers"); n != 2 {
		t.Errorf("asked %v", asked)
	}
}
