package deploy

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/stream-events/stream-events/internal/deploy/cfntest"
)

const esmAccessReason = `Resource handler returned message: "Invalid request provided: Cannot access stream arn:aws:kinesis:us-east-1:123456789012:stream/orders. Please ensure the role can perform the GetRecords, GetShardIterator, DescribeStream, ListShards, and ListStreams Actions on your stream in IAM." (RequestToken: 1, HandlerErrorCode: InvalidRequest)`

// rollbackSteps fail the mapping during a create: the function is
// cancelled first, the mapping's real reason arrives after it.
var rollbackSteps = []cfntest.Step{
	{Events: []cfntest.Event{
		{LogicalID: roleID, Type: "AWS::IAM::Role", Status: "CREATE_IN_PROGRESS"},
		{LogicalID: roleID, Type: "AWS::IAM::Role", Status: "CREATE_COMPLETE"},
		{LogicalID: mappingID, Type: mappingType, Status: "CREATE_IN_PROGRESS"},
	}},
	{Events: []cfntest.Event{
		{LogicalID: functionID, Type: "AWS::Lambda::Function", Status: "CREATE_FAILED", Reason: "Resource creation cancelled"},
		{LogicalID: mappingID, Type: mappingType, Status: "CREATE_FAILED", Reason: esmAccessReason},
		cfntest.StackEvent("ROLLBACK_IN_PROGRESS", "The following resource(s) failed to create: [WorkerEventSourceMappingKinesisOrders, WorkerLambdaFunction]. Rollback requested by user."),
	}, Status: "ROLLBACK_IN_PROGRESS"},
	{Events: []cfntest.Event{
		{LogicalID: roleID, Type: "AWS::IAM::Role", Status: "DELETE_COMPLETE"},
		cfntest.StackEvent("ROLLBACK_COMPLETE", ""),
	}, Status: "ROLLBACK_COMPLETE"},
}

func TestDeploy_RollbackThenRecreate(t *testing.T) {
	t.Parallel()
	// GIVEN a first create that rolls back
	f := cfntest.NewServer(t)
	f.ScriptExecutions(rollbackSteps...)
	d, rec := testDeployer(t, f)
	// WHEN
	res, err := d.Deploy(context.Background(), execInput(tmplV1))
	// THEN the mapping's reason comes first, before the cancellation it caused
	var df *FailedError
	if !errors.As(err, &df) || df.Status != "ROLLBACK_COMPLETE" {
		t.Fatalf("err = %v, want FailedError ROLLBACK_COMPLETE", err)
	}
	want := []StackEvent{
		{LogicalID: mappingID, ResourceType: mappingType, Status: "CREATE_FAILED", Reason: esmAccessReason},
		{LogicalID: functionID, ResourceType: "AWS::Lambda::Function", Status: "CREATE_FAILED", Reason: "Resource creation cancelled"},
	}
	if d := cmp.Diff(want, res.FailedEvents, ignoreTimes); d != "" {
		t.Errorf("failed events (-want +got):\n%s", d)
	}
	if d := cmp.Diff(want, df.Events, ignoreTimes); d != "" {
		t.Errorf("error events (-want +got):\n%s", d)
	}
	if !strings.Contains(err.Error(), "Cannot access stream") || res.StackStatus != "ROLLBACK_COMPLETE" {
		t.Errorf("err = %v, status %s", err, res.StackStatus)
	}

	// WHEN the next run finds the stack in ROLLBACK_COMPLETE
	f.ScriptExecutions()
	res, err = d.Deploy(context.Background(), execInput(tmplV1))
	// THEN it deletes the stack and creates it again
	if err != nil {
		t.Fatalf("second Deploy: %v", err)
	}
	if !res.Recreated || res.ChangeSetType != "CREATE" || res.StackStatus != "CREATE_COMPLETE" {
		t.Errorf("result = %+v", res)
	}
	if len(f.Requests("DeleteStack")) != 1 || !rec.contains("is ROLLBACK_COMPLETE after a failed first create; deleting it") {
		t.Errorf("requests %q, log %q", f.Requests("DeleteStack"), rec.lines())
	}
}

func TestDeploy_RollbackCompleteInPreviewIsNotDeleted(t *testing.T) {
	t.Parallel()
	f := cfntest.NewServer(t)
	f.AddStack("orders-dev", "ROLLBACK_COMPLETE", tmplV1)
	d, _ := testDeployer(t, f)
	in := execInput(tmplV1)
	in.Mode = Preview
	_, err := d.Deploy(context.Background(), in)
	var u *StackUnrecoverableError
	if !errors.As(err, &u) || !strings.Contains(u.Advice, "--mode execute") {
		t.Fatalf("err = %v, want StackUnrecoverableError", err)
	}
	if got := f.Requests("DeleteStack", "CreateChangeSet"); len(got) != 0 {
		t.Errorf("preview changed things: %q", got)
	}
}

func TestDeploy_UnrecoverableStates(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"DELETE_FAILED":          "--retain-resources",
		"UPDATE_ROLLBACK_FAILED": "continue-update-rollback",
		"ROLLBACK_FAILED":        "delete-stack",
		"IMPORT_ROLLBACK_FAILED": "console",
	}
	for status, advice := range tests {
		t.Run(status, func(t *testing.T) {
			t.Parallel()
			f := cfntest.NewServer(t)
			f.AddStack("orders-dev", status, tmplV1)
			f.SetStatusReason("orders-dev", "something broke")
			d, _ := testDeployer(t, f)
			_, err := d.Deploy(context.Background(), execInput(tmplBatch))
			var u *StackUnrecoverableError
			if !errors.As(err, &u) || u.Status != status || !strings.Contains(err.Error(), advice) ||
				!strings.Contains(err.Error(), "something broke") {
				t.Fatalf("err = %v", err)
			}
			if got := f.Requests("CreateChangeSet"); len(got) != 0 {
				t.Errorf("created a change set: %q", got)
			}
		})
	}
}

func TestDeploy_WaitsForBusyStack(t *testing.T) {
	t.Parallel()
	f := cfntest.NewServer(t)
	f.AddStack("orders-dev", "UPDATE_IN_PROGRESS", tmplV1)
	f.QueueSteps("orders-dev", cfntest.Step{}, cfntest.Step{}, cfntest.Step{Status: "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"},
		cfntest.Step{Status: "UPDATE_COMPLETE"})
	d, rec := testDeployer(t, f)
	res, err := d.Deploy(context.Background(), execInput(tmplBatch))
	if err != nil {
		t.Fatalf("Deploy: %v", err)
	}
	if res.ChangeSetType != "UPDATE" || res.StackStatus != "UPDATE_COMPLETE" {
		t.Errorf("result = %+v", res)
	}
	if !rec.contains("is UPDATE_IN_PROGRESS; waiting for the running operation") {
		t.Errorf("log = %q", rec.lines())
	}
}

func TestDeploy_BusyStackTimesOut(t *testing.T) {
	t.Parallel()
	f := cfntest.NewServer(t)
	f.AddStack("orders-dev", "UPDATE_ROLLBACK_IN_PROGRESS", tmplV1)
	f.QueueSteps("orders-dev", make([]cfntest.Step, 100000)...)
	d, _ := testDeployer(t, f)
	in := execInput(tmplBatch)
	in.Timeout = time.Second
	_, err := d.Deploy(context.Background(), in)
	var busy *StackBusyError
	if !errors.As(err, &busy) || busy.Status != "UPDATE_ROLLBACK_IN_PROGRESS" {
		t.Fatalf("err = %v, want StackBusyError", err)
	}
	if got := f.Requests("CreateChangeSet"); len(got) != 0 {
		t.Errorf("created a change set: %q", got)
	}
}

func TestDeploy_RidesOutThrottlingAndServerErrors(t *testing.T) {
	t.Parallel()
	f := cfntest.NewServer(t)
	f.AddStack("orders-dev", "UPDATE_COMPLETE", tmplV1)
	throttle := cfntest.Fault{Status: 400, Code: "Throttling", Message: "Rate exceeded"}
	// 5 in a row outlast the SDK's 3 attempts; the poller carries on.
	f.Inject("DescribeChangeSet", cfntest.Repeat(5, throttle)...)
	f.Inject("DescribeStackEvents", cfntest.Repeat(4, throttle)...)
	f.Inject("CreateChangeSet", cfntest.Fault{Status: 500, Code: "InternalFailure", Message: "internal error"})
	f.Inject("DescribeStacks", cfntest.Repeat(2, cfntest.Fault{Status: 503, Code: "ServiceUnavailable", Message: "try again"})...)
	d, rec := testDeployer(t, f)
	res, err := d.Deploy(context.Background(), execInput(tmplBatch))
	if err != nil {
		t.Fatalf("Deploy: %v", err)
	}
	if res.StackStatus != "UPDATE_COMPLETE" || !rec.contains("Rate exceeded; retrying") {
		t.Errorf("result %+v, log %q", res, rec.lines())
	}
	create := f.Requests("CreateChangeSet")
	if len(create) != 2 || create[0] != create[1] || !strings.Contains(create[0], "ClientToken=cs-1") {
		t.Errorf("CreateChangeSet retries = %q, want two identical requests with a client token", create)
	}
	assertEventsOnce(t, rec, "orders-dev", "UPDATE")
}

func TestDeploy_PersistentServerErrorsFail(t *testing.T) {
	t.Parallel()
	f := cfntest.NewServer(t)
	f.AddStack("orders-dev", "UPDATE_COMPLETE", tmplV1)
	f.Inject("DescribeChangeSet", cfntest.Repeat(1000, cfntest.Fault{Status: 500, Code: "InternalFailure", Message: "internal error"})...)
	d, _ := testDeployer(t, f)
	_, err := d.Deploy(context.Background(), execInput(tmplBatch))
	if err == nil || !strings.Contains(err.Error(), "InternalFailure") {
		t.Fatalf("err = %v, want InternalFailure", err)
	}
	if n := len(f.Requests("DescribeChangeSet")); n != 3*(maxTransient+1) {
		t.Errorf("DescribeChangeSet requests = %d, want %d", n, 3*(maxTransient+1))
	}
}

func TestDeploy_SlowChangeSet(t *testing.T) {
	t.Parallel()
	f := cfntest.NewServer(t)
	f.SlowChangeSets(6)
	d, _ := testDeployer(t, f)
	res, err := d.Deploy(context.Background(), execInput(tmplV1))
	if err != nil || res.StackStatus != "CREATE_COMPLETE" {
		t.Fatalf("Deploy: %v, %+v", err, res)
	}
	if n := len(f.Requests("DescribeChangeSet")); n < 7 {
		t.Errorf("DescribeChangeSet requests = %d, want ≥ 7", n)
	}
}

func TestDeploy_TimeoutWaitingForChangeSet(t *testing.T) {
	t.Parallel()
	f := cfntest.NewServer(t)
	f.SlowChangeSets(1 << 30)
	d, rec := testDeployer(t, f)
	in := execInput(tmplV1)
	in.Timeout = time.Second
	res, err := d.Deploy(context.Background(), in)
	var to *TimeoutError
	if !errors.As(err, &to) || !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(to.Op, "change set cs-1") {
		t.Fatalf("err = %v, want TimeoutError", err)
	}
	if !res.ChangeSetDeleted || len(f.Requests("DeleteChangeSet")) != 1 || len(f.Requests("DeleteStack")) != 1 {
		t.Errorf("cleanup: %+v, requests %q", res, f.Requests("DeleteChangeSet", "DeleteStack"))
	}
	if !rec.contains("timed out after 1s while waiting for creation of change set cs-1 (stack orders-dev: REVIEW_IN_PROGRESS)") {
		t.Errorf("log = %q", rec.lines())
	}
}

func TestDeploy_CancelledPreviewDeletesChangeSet(t *testing.T) {
	t.Parallel()
	f := cfntest.NewServer(t)
	f.AddStack("orders-dev", "UPDATE_COMPLETE", tmplV1)
	f.SlowChangeSets(1 << 30)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var polls atomic.Int32
	f.OnRequest(func(action string) {
		if action == "DescribeChangeSet" && polls.Add(1) == 2 {
			cancel() // what the CLI does on SIGINT/SIGTERM
		}
	})
	d, rec := testDeployer(t, f)
	in := execInput(tmplBatch)
	in.Mode, in.KeepChangeSet = Preview, true // an interrupted change set goes regardless
	res, err := d.Deploy(ctx, in)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if !res.ChangeSetDeleted || len(f.Requests("DeleteChangeSet")) != 1 || f.ChangeSets() != 0 {
		t.Errorf("change set not deleted: %+v", res)
	}
	if !rec.contains("cancelled while waiting for creation of change set cs-1 (stack orders-dev: UPDATE_COMPLETE)") {
		t.Errorf("log = %q", rec.lines())
	}
}

func TestDeploy_CancelledExecutionKeepsRunning(t *testing.T) {
	t.Parallel()
	f := cfntest.NewServer(t)
	f.AddStack("orders-dev", "UPDATE_COMPLETE", tmplV1)
	f.ScriptExecutions(make([]cfntest.Step, 100000)...) // an execution that never ends
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var polls atomic.Int32
	f.OnRequest(func(action string) {
		if action == "DescribeStackEvents" && polls.Add(1) == 3 {
			cancel()
		}
	})
	d, rec := testDeployer(t, f)
	res, err := d.Deploy(ctx, execInput(tmplBatch))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if got := f.Requests("DeleteChangeSet"); len(got) != 0 || res.StackStatus != "UPDATE_IN_PROGRESS" {
		t.Errorf("requests %q, result %+v", got, res)
	}
	if !rec.contains("continues in AWS") {
		t.Errorf("log = %q", rec.lines())
	}
}

func TestDeploy_TimeoutDuringExecution(t *testing.T) {
	t.Parallel()
	f := cfntest.NewServer(t)
	f.AddStack("orders-dev", "UPDATE_COMPLETE", tmplV1)
	f.ScriptExecutions(make([]cfntest.Step, 100000)...) // an execution that never ends
	d, _ := testDeployer(t, f)
	in := execInput(tmplBatch)
	in.Timeout = time.Second
	_, err := d.Deploy(context.Background(), in)
	var to *TimeoutError
	if !errors.As(err, &to) || to.State != "UPDATE_IN_PROGRESS" || !strings.Contains(to.Op, "to finish") {
		t.Fatalf("err = %v, want TimeoutError in UPDATE_IN_PROGRESS", err)
	}
}

// TestDeploy_RidesOutThrottlingOnTheFirstCalls: a burst of Throttling that
// outlasts the SDK's attempts on the first DescribeStacks, CreateChangeSet
// and ExecuteChangeSet is ridden out like the pollers' (issue: "bursts of
// Throttling").
func TestDeploy_RidesOutThrottlingOnTheFirstCalls(t *testing.T) {
	t.Parallel()
	f := cfntest.NewServer(t)
	f.AddStack("orders-dev", "UPDATE_COMPLETE", tmplV1)
	throttle := cfntest.Fault{Status: 400, Code: "Throttling", Message: "Rate exceeded"}
	f.Inject("DescribeStacks", cfntest.Repeat(10, throttle)...)
	f.Inject("CreateChangeSet", cfntest.Repeat(7, throttle)...)
	f.Inject("ExecuteChangeSet", cfntest.Repeat(7, throttle)...)
	d, _ := testDeployer(t, f)
	res, err := d.Deploy(context.Background(), execInput(tmplBatch))
	if err != nil || res.StackStatus != "UPDATE_COMPLETE" {
		t.Fatalf("Deploy: %v, %+v", err, res)
	}
}
