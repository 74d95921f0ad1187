package cfntest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"

	"github.com/stream-events/stream-events/internal/deploy"
	"github.com/stream-events/stream-events/internal/deploy/cfntest"
)

const tmpl = `{"Resources":{"M":{"Type":"AWS::Lambda::EventSourceMapping","Properties":{"BatchSize":10}}},"Outputs":{"Id":{"Value":{"Ref":"M"}}}}`

func deployer(t *testing.T, s *cfntest.Server) *deploy.Deployer {
	c := cloudformation.NewFromConfig(aws.Config{Region: "us-east-1", Credentials: aws.AnonymousCredentials{},
		Retryer: func() aws.Retryer { return aws.NopRetryer{} }},
		func(o *cloudformation.Options) { o.BaseEndpoint = aws.String(s.URL) })
	return deploy.New(c, deploy.WithPollDelays(time.Millisecond, time.Millisecond, 1))
}

func TestServer_CreateThenFail(t *testing.T) {
	t.Parallel()
	s := cfntest.NewServer(t)
	d := deployer(t, s)
	res, err := d.Deploy(context.Background(), deploy.Input{StackName: "st", TemplateBody: []byte(tmpl), Mode: deploy.Execute})
	if err != nil || res.StackStatus != "CREATE_COMPLETE" || len(res.Outputs) != 1 || res.Outputs[0].Value != "value-of-Id" {
		t.Fatalf("create: %v %+v", err, res)
	}
	s.FailResource("M", "boom")
	res, err = d.Deploy(context.Background(), deploy.Input{StackName: "st", TemplateBody: []byte(strings.Replace(tmpl, "10", "20", 1)), Mode: deploy.Execute})
	if err == nil || res.StackStatus != "UPDATE_ROLLBACK_COMPLETE" || len(res.FailedEvents) != 1 || res.FailedEvents[0].Reason != "boom" {
		t.Fatalf("failed update: %v %+v", err, res)
	}
	if got := s.Requests("ExecuteChangeSet"); len(got) != 2 {
		t.Errorf("requests %q", got)
	}
}
