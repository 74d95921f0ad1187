package deploy

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/stream-events/stream-events/internal/deploy/cfntest"
)

// efoTemplate is an enhanced fan-out setup, which moto cannot run: a
// StreamConsumer and a mapping reading through the consumer's ARN.
func efoTemplate(consumerName string) string {
	return `{"Resources": {
  "IamRoleLambdaExecution": {"Type": "AWS::IAM::Role", "Properties": {"AssumeRolePolicyDocument": {}}},
  "WorkerLambdaFunction": {"Type": "AWS::Lambda::Function", "Properties": {"Handler": "h.js"}},
  "WorkerOrdersConsumer": {"Type": "AWS::Kinesis::StreamConsumer", "Properties": {
    "ConsumerName": "` + consumerName + `", "StreamARN": "arn:aws:kinesis:us-east-1:123456789012:stream/orders"}},
  "WorkerEventSourceMappingKinesisOrders": {"Type": "AWS::Lambda::EventSourceMapping", "Properties": {
    "EventSourceArn": {"Fn::GetAtt": ["WorkerOrdersConsumer", "ConsumerARN"]},
    "FunctionName": {"Ref": "WorkerLambdaFunction"}, "StartingPosition": "LATEST"}}
}}`
}

func TestDeploy_StreamConsumerRenameReplacesMapping(t *testing.T) {
	t.Parallel()
	f := cfntest.NewServer(t)
	d, _ := testDeployer(t, f)
	if _, err := d.Deploy(context.Background(), execInput(efoTemplate("workerOrdersConsumer"))); err != nil {
		t.Fatalf("create: %v", err)
	}
	// Renaming the consumer replaces it, and with it the mapping on its new
	// ARN; a new source does not conflict, so the deploy goes ahead.
	res, err := d.Deploy(context.Background(), execInput(efoTemplate("workerOrdersConsumerV2")))
	if err != nil {
		t.Fatalf("rename: %v", err)
	}
	want := []Change{
		{Action: "Modify", LogicalID: "WorkerOrdersConsumer", PhysicalID: "phys-WorkerOrdersConsumer",
			Type: "AWS::Kinesis::StreamConsumer", Replacement: "True", Scope: []string{"Properties"},
			Details: "Properties.ConsumerName (recreate)", Targets: []Target{{"Properties", "ConsumerName", "Always"}}},
		{Action: "Modify", LogicalID: mappingID, PhysicalID: "phys-" + mappingID, Type: mappingType,
			Replacement: "Conditional", Scope: []string{"Properties"}, Details: "Properties.EventSourceArn (recreate)",
			Targets: []Target{{"Properties", "EventSourceArn", "Always"}}},
	}
	if d := cmp.Diff(want, res.Changes); d != "" {
		t.Errorf("changes (-want +got):\n%s", d)
	}
	if res.StackStatus != "UPDATE_COMPLETE" {
		t.Errorf("status = %s", res.StackStatus)
	}
}

const consumerLimitReason = `Resource handler returned message: "LimitExceededException: Consumer limit of 20 reached for stream orders" (HandlerErrorCode: ServiceLimitExceeded)`

func TestDeploy_StreamConsumerUpdateRollsBack(t *testing.T) {
	t.Parallel()
	f := cfntest.NewServer(t)
	f.AddStack("orders-dev", "UPDATE_COMPLETE", tmplV1)
	f.ScriptExecutions(
		cfntest.Step{Events: []cfntest.Event{{LogicalID: "WorkerOrdersConsumer", Type: "AWS::Kinesis::StreamConsumer", Status: "CREATE_IN_PROGRESS"}}},
		cfntest.Step{Events: []cfntest.Event{
			{LogicalID: "WorkerOrdersConsumer", Type: "AWS::Kinesis::StreamConsumer", Status: "CREATE_FAILED", Reason: consumerLimitReason},
			cfntest.StackEvent("UPDATE_ROLLBACK_IN_PROGRESS", "The following resource(s) failed to create: [WorkerOrdersConsumer]."),
		}, Status: "UPDATE_ROLLBACK_IN_PROGRESS"},
		cfntest.Step{Events: []cfntest.Event{cfntest.StackEvent("UPDATE_ROLLBACK_COMPLETE", "")}, Status: "UPDATE_ROLLBACK_COMPLETE"},
	)
	d, _ := testDeployer(t, f)
	res, err := d.Deploy(context.Background(), execInput(efoTemplate("workerOrdersConsumer")))
	var df *FailedError
	if !errors.As(err, &df) || df.Status != "UPDATE_ROLLBACK_COMPLETE" || len(res.FailedEvents) != 1 ||
		res.FailedEvents[0].Reason != consumerLimitReason {
		t.Fatalf("err = %v, failed events %+v", err, res.FailedEvents)
	}
	// UPDATE_ROLLBACK_COMPLETE is a settled stack: the next run updates it.
	f.ScriptExecutions()
	if _, tpl, _ := f.Stack("orders-dev"); tpl != tmplV1 {
		t.Fatalf("the rollback did not restore the old template: %s", tpl)
	}
	res, err = d.Deploy(context.Background(), execInput(efoTemplate("workerOrdersConsumer")))
	if err != nil || res.ChangeSetType != "UPDATE" || res.Recreated {
		t.Fatalf("retry: %v, %+v", err, res)
	}
}
