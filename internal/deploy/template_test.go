package deploy

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/stream-events/stream-events/internal/deploy/cfntest"
)

// bigTemplate is tmplV1 padded past the inline limit with a Description.
func bigTemplate() string {
	return strings.Replace(tmplV1, `{"AWSTemplateFormatVersion": "2010-09-09",`,
		`{"AWSTemplateFormatVersion": "2010-09-09","Description": "`+strings.Repeat("x", MaxInlineTemplateSize)+`",`, 1)
}

func TestDeploy_LargeTemplateNeedsBucket(t *testing.T) {
	t.Parallel()
	f := cfntest.NewServer(t)
	d, _ := testDeployer(t, f)
	_, err := d.Deploy(context.Background(), execInput(bigTemplate()))
	var tl *TemplateTooLargeError
	if !errors.As(err, &tl) || !tl.NeedsBucket || !strings.Contains(err.Error(), "--s3-bucket") {
		t.Fatalf("err = %v, want TemplateTooLargeError asking for a bucket", err)
	}
	if got := f.Requests(); len(got) != 0 {
		t.Errorf("AWS was called: %q", got)
	}
}

func TestDeploy_TooLargeEvenForS3(t *testing.T) {
	t.Parallel()
	f := cfntest.NewServer(t)
	d, _ := testDeployer(t, f)
	in := execInput(strings.Repeat(" ", MaxS3TemplateSize) + tmplV1)
	in.S3Bucket = "b"
	_, err := d.Deploy(context.Background(), in)
	var tl *TemplateTooLargeError
	if !errors.As(err, &tl) || tl.NeedsBucket || tl.Limit != MaxS3TemplateSize {
		t.Fatalf("err = %v, want TemplateTooLargeError over the S3 limit", err)
	}
}

// fakeS3 is a client of f's S3, which stores PUT bodies where the
// CloudFormation fake reads them through their TemplateURL.
func fakeS3(t *testing.T, f *cfntest.Server) *s3.Client {
	return s3.NewFromConfig(testConfig(), func(o *s3.Options) {
		o.BaseEndpoint, o.UsePathStyle = aws.String(f.ServeS3(t)), true
	})
}

func TestDeploy_LargeTemplateGoesThroughS3(t *testing.T) {
	t.Parallel()
	f := cfntest.NewServer(t)
	d, rec := testDeployer(t, f, WithS3(fakeS3(t, f), "us-east-1"))
	in := execInput(bigTemplate())
	in.S3Bucket = "deploy-bucket"
	res, err := d.Deploy(context.Background(), in)
	if err != nil {
		t.Fatalf("Deploy: %v", err)
	}
	create := f.Requests("CreateChangeSet")
	wantURL := "TemplateURL=https://s3.us-east-1.amazonaws.com/deploy-bucket/stream-events/orders-dev/cs-1.json"
	if len(create) != 1 || !strings.Contains(create[0], wantURL) {
		t.Errorf("CreateChangeSet = %q, want %s", create, wantURL)
	}
	if res.StackStatus != "CREATE_COMPLETE" || !rec.contains("uploaded it to s3://deploy-bucket/stream-events/orders-dev/cs-1.json") {
		t.Errorf("result %+v, log %q", res, rec.lines())
	}
	if got, _ := f.Object("deploy-bucket", "stream-events/orders-dev/cs-1.json"); got != bigTemplate() {
		t.Errorf("stored template has %d bytes, want %d", len(got), len(bigTemplate()))
	}
}

func TestTemplateURL(t *testing.T) {
	t.Parallel()
	tests := []struct{ region, want string }{
		{"", "https://s3.amazonaws.com/b.with.dots/k.json"},
		{"eu-west-1", "https://s3.eu-west-1.amazonaws.com/b.with.dots/k.json"},
		{"cn-north-1", "https://s3.cn-north-1.amazonaws.com.cn/b.with.dots/k.json"},
	}
	for _, tt := range tests {
		if got := templateURL("b.with.dots", "k.json", tt.region); got != tt.want {
			t.Errorf("templateURL(%q) = %q, want %q", tt.region, got, tt.want)
		}
	}
}
