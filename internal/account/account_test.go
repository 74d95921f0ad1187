package account

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/stream-events/stream-events/internal/compile"
	"github.com/stream-events/stream-events/internal/deploy/cfntest"
)

// dynamoFake answers DescribeTable in DynamoDB's JSON protocol with body
// and status.
func dynamoFake(t *testing.T, status int, body string) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if got := r.Header.Get("X-Amz-Target"); got != "DynamoDB_20120810.DescribeTable" {
			t.Errorf("X-Amz-Target = %q", got)
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func reader(cfnURL, ddbURL string) *Reader {
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", ""),
		Retryer: func() aws.Retryer { return aws.NopRetryer{} }}
	return &Reader{region: cfg.Region,
		cfn: cloudformation.NewFromConfig(cfg, func(o *cloudformation.Options) { o.BaseEndpoint = aws.String(cfnURL) }),
		ddb: dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) { o.BaseEndpoint = aws.String(ddbURL) }),
		iam: iam.NewFromConfig(cfg, func(o *iam.Options) { o.BaseEndpoint = aws.String("http://127.0.0.1:1") })}
}

var streamParam = []compile.Parameter{{Name: "OrdersTableStreamArn", Target: "OrdersTable", Attr: "StreamArn"}}

func TestFill(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		status  int
		body    string
		want    string // the value
		unfound string
		err     string
	}{
		"the table's current stream": {status: 200,
			body: `{"Table": {"TableName": "orders", "StreamSpecification": {"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"}, "LatestStreamArn": "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2026"}}`,
			want: "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2026"},
		"a table without a stream is unfound": {status: 200, body: `{"Table": {"TableName": "orders"}}`,
			unfound: "Fn::GetAtt OrdersTable.StreamArn: table orders of the Serverless stack svc-dev has no stream enabled"},
		"AccessDenied names dynamodb:DescribeTable": {status: 400,
			body: `{"__type": "com.amazonaws.dynamodb.v20120810#AccessDeniedException", "message": "no"}`,
			err:  "the credentials may not call dynamodb:DescribeTable (the stream of table orders)"},
		"throttling is a read error": {status: 400,
			body: `{"__type": "com.amazonaws.dynamodb.v20120810#ThrottlingException", "message": "slow down"}`,
			err:  "dynamodb:DescribeTable (the stream of table orders): "},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfn := cfntest.NewServer(t)
			cfn.AddStack("svc-dev", "UPDATE_COMPLETE", `{"Resources": {}}`)
			cfn.SetResources("svc-dev", cfntest.Resource{LogicalID: "OrdersTable", Type: "AWS::DynamoDB::Table", PhysicalID: "orders"})
			vals, unfound, err := reader(cfn.URL, dynamoFake(t, tc.status, tc.body)).Fill(context.Background(), "svc-dev", streamParam)
			switch {
			case tc.err != "":
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				var ad *AccessDeniedError
				if strings.Contains(name, "AccessDenied") != errors.As(err, &ad) {
					t.Errorf("AccessDenied typed as %T", err)
				}
			case tc.unfound != "":
				if err != nil || len(unfound) != 1 || !strings.HasPrefix(unfound[0].Reason, tc.unfound) {
					t.Fatalf("unfound = %+v, %v", unfound, err)
				}
			default:
				if err != nil || len(vals) != 1 || vals[0].Value != tc.want {
					t.Fatalf("values = %+v, %v", vals, err)
				}
			}
		})
	}
}
