package deploy

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/stream-events/stream-events/internal/deploy/cfntest"
)

func execInput(body string) Input {
	return Input{StackName: "orders-dev", TemplateBody: []byte(body), Mode: Execute}
}

func TestDeploy_CreatesNewStack(t *testing.T) {
	t.Parallel()
	// GIVEN no stack
	f := cfntest.NewServer(t)
	d, rec := testDeployer(t, f)
	in := execInput(tmplV1)
	in.Tags = []Tag{{"app", "orders"}, {"stage", "dev"}}
	in.RoleARN = "arn:aws:iam::123456789012:role/cfn"
	// WHEN
	res, err := d.Deploy(context.Background(), in)
	// THEN
	if err != nil {
		t.Fatalf("Deploy: %v", err)
	}
	st, _ := f.StackInfo("orders-dev")
	want := &Result{
		StackID: st.ID, StackName: "orders-dev", StackStatus: "CREATE_COMPLETE",
		ChangeSetID: res.ChangeSetID, ChangeSetName: "cs-1", ChangeSetType: "CREATE", HasChanges: true,
		Changes: []Change{
			{Action: "Add", LogicalID: roleID, Type: "AWS::IAM::Role"},
			{Action: "Add", LogicalID: mappingID, Type: mappingType},
			{Action: "Add", LogicalID: functionID, Type: "AWS::Lambda::Function"},
		},
		Outputs: []Output{{"ServiceName", "orders"}, {"WorkerLambdaFunctionQualifiedArn", "value-of-WorkerLambdaFunctionQualifiedArn"}},
	}
	if d := cmp.Diff(want, res); d != "" {
		t.Errorf("result (-want +got):\n%s", d)
	}
	create := f.Requests("CreateChangeSet")
	for _, sub := range []string{"Capabilities.member.1=CAPABILITY_IAM", "ChangeSetType=CREATE", "ClientToken=cs-1",
		"RoleARN=arn:aws:iam::123456789012:role/cfn", "Tags.member.1.Key=app", "Tags.member.2.Value=dev"} {
		if len(create) != 1 || !strings.Contains(create[0], sub) {
			t.Errorf("CreateChangeSet requests %q lack %q", create, sub)
		}
	}
	exec := f.Requests("ExecuteChangeSet")
	if len(exec) != 1 || !strings.Contains(exec[0], "ClientRequestToken=cs-1") || strings.Contains(exec[0], "DisableRollback") {
		t.Errorf("ExecuteChangeSet requests = %q", exec)
	}
	if got := f.Requests("DeleteChangeSet", "DeleteStack", "UpdateTerminationProtection"); len(got) != 0 {
		t.Errorf("unexpected requests %q", got)
	}
	assertEventsOnce(t, rec, "orders-dev", "CREATE")
}

// assertEventsOnce checks the streamed events: each once, chronological,
// starting at the stack's IN_PROGRESS event and ending at its COMPLETE one.
func assertEventsOnce(t *testing.T, rec *recorder, stack, verb string) {
	t.Helper()
	evs := rec.stackEvents()
	seen := map[string]bool{}
	for i, e := range evs {
		if seen[e.ID] {
			t.Errorf("event %s streamed twice", e.ID)
		}
		seen[e.ID] = true
		if i > 0 && e.Timestamp.Before(evs[i-1].Timestamp) {
			t.Errorf("event %d (%s) is older than the one before", i, e.ID)
		}
	}
	if len(evs) < 2 || evs[0].Status != verb+"_IN_PROGRESS" || evs[len(evs)-1].Status != verb+"_COMPLETE" ||
		evs[0].LogicalID != stack {
		t.Errorf("stack events = %+v", evs)
	}
	if !rec.contains("+0s  " + verb + "_IN_PROGRESS") {
		t.Errorf("no +0s line in %q", rec.lines())
	}
}

func TestDeploy_UpdatesExistingStack(t *testing.T) {
	t.Parallel()
	f := cfntest.NewServer(t)
	f.AddStack("orders-dev", "UPDATE_COMPLETE", tmplV1)
	d, rec := testDeployer(t, f)
	res, err := d.Deploy(context.Background(), execInput(tmplBatch))
	if err != nil {
		t.Fatalf("Deploy: %v", err)
	}
	want := []Change{{Action: "Modify", LogicalID: mappingID, PhysicalID: "phys-" + mappingID, Type: mappingType,
		Replacement: "False", Scope: []string{"Properties"}, Details: "Properties.BatchSize",
		Targets: []Target{{"Properties", "BatchSize", "Never"}}}}
	if d := cmp.Diff(want, res.Changes); d != "" {
		t.Errorf("changes (-want +got):\n%s", d)
	}
	if res.ChangeSetType != "UPDATE" || res.StackStatus != "UPDATE_COMPLETE" || !res.HasChanges {
		t.Errorf("result = %+v", res)
	}
	assertEventsOnce(t, rec, "orders-dev", "UPDATE")
}

func TestDeploy_NoChangesIsSuccess(t *testing.T) {
	t.Parallel()
	f := cfntest.NewServer(t)
	f.AddStack("orders-dev", "CREATE_COMPLETE", tmplV1)
	d, rec := testDeployer(t, f)
	res, err := d.Deploy(context.Background(), execInput(tmplV1))
	if err != nil {
		t.Fatalf("Deploy: %v", err)
	}
	if res.HasChanges || !res.ChangeSetDeleted || res.StackStatus != "CREATE_COMPLETE" || len(res.Outputs) != 2 {
		t.Errorf("result = %+v", res)
	}
	if got := f.Requests("ExecuteChangeSet"); len(got) != 0 {
		t.Errorf("executed an empty change set: %q", got)
	}
	if got := f.Requests("DeleteChangeSet"); len(got) != 1 {
		t.Errorf("DeleteChangeSet requests = %q", got)
	}
	if !rec.contains("no changes: stack orders-dev is up to date") {
		t.Errorf("log = %q", rec.lines())
	}
}

func TestDeploy_PreviewNewStackLeavesNothing(t *testing.T) {
	t.Parallel()
	f := cfntest.NewServer(t)
	d, _ := testDeployer(t, f)
	in := execInput(tmplV1)
	in.Mode = Preview
	res, err := d.Deploy(context.Background(), in)
	if err != nil {
		t.Fatalf("Deploy: %v", err)
	}
	if !res.HasChanges || len(res.Changes) != 3 || !res.ChangeSetDeleted || res.StackID != "" || res.StackStatus != "" {
		t.Errorf("result = %+v", res)
	}
	if got := f.Requests("ExecuteChangeSet"); len(got) != 0 {
		t.Errorf("preview executed: %q", got)
	}
	if got := f.Requests("DeleteChangeSet", "DeleteStack"); len(got) != 2 {
		t.Errorf("cleanup requests = %q, want the change set and the REVIEW_IN_PROGRESS stub deleted", got)
	}
	if _, _, ok := f.Stack("orders-dev"); ok {
		t.Errorf("stub stack left behind")
	}
}

func TestDeploy_PreviewKeepChangeSet(t *testing.T) {
	t.Parallel()
	f := cfntest.NewServer(t)
	f.AddStack("orders-dev", "UPDATE_COMPLETE", tmplV1)
	d, _ := testDeployer(t, f)
	in := execInput(tmplBatch)
	in.Mode, in.KeepChangeSet = Preview, true
	res, err := d.Deploy(context.Background(), in)
	if err != nil {
		t.Fatalf("Deploy: %v", err)
	}
	if res.ChangeSetDeleted || f.ChangeSets() != 1 || res.StackStatus != "UPDATE_COMPLETE" {
		t.Errorf("result = %+v, change sets = %d", res, f.ChangeSets())
	}
	if got := f.Requests("DeleteChangeSet", "ExecuteChangeSet"); len(got) != 0 {
		t.Errorf("requests = %q", got)
	}
}

func TestDeploy_RejectedReplacement(t *testing.T) {
	t.Parallel()
	for _, mode := range []Mode{Preview, Execute} {
		t.Run(mode.String(), func(t *testing.T) {
			t.Parallel()
			f := cfntest.NewServer(t)
			f.AddStack("orders-dev", "UPDATE_COMPLETE", tmplV1)
			d, _ := testDeployer(t, f)
			in := execInput(tmplTrim)
			in.Mode = mode
			res, err := d.Deploy(context.Background(), in)
			var rr *RejectedReplacementError
			if !errors.As(err, &rr) || rr.LogicalID != mappingID || rr.Property != "StartingPosition" {
				t.Fatalf("err = %v, want RejectedReplacementError for %s", err, mappingID)
			}
			if got := f.Requests("ExecuteChangeSet"); len(got) != 0 {
				t.Errorf("executed: %q", got)
			}
			if !res.ChangeSetDeleted || len(res.Changes) != 1 || res.Changes[0].Replacement != "True" {
				t.Errorf("result = %+v", res)
			}
		})
	}
}

func TestDeploy_ReplacementOnNewSourceIsAllowed(t *testing.T) {
	t.Parallel()
	f := cfntest.NewServer(t)
	f.AddStack("orders-dev", "UPDATE_COMPLETE", tmplV1)
	d, _ := testDeployer(t, f)
	res, err := d.Deploy(context.Background(), execInput(tmplNewSrc))
	if err != nil {
		t.Fatalf("Deploy: %v", err)
	}
	if res.StackStatus != "UPDATE_COMPLETE" || res.Changes[0].Details != "Properties.EventSourceArn (recreate), Properties.StartingPosition (recreate)" {
		t.Errorf("result = %+v", res)
	}
}

func TestDeploy_DisableRollbackAndTerminationProtection(t *testing.T) {
	t.Parallel()
	f := cfntest.NewServer(t)
	d, rec := testDeployer(t, f)
	in := execInput(tmplV1)
	in.DisableRollback, in.TerminationProtection = true, true
	if _, err := d.Deploy(context.Background(), in); err != nil {
		t.Fatalf("Deploy: %v", err)
	}
	if got := f.Requests("ExecuteChangeSet"); len(got) != 1 || !strings.Contains(got[0], "DisableRollback=true") {
		t.Errorf("ExecuteChangeSet requests = %q", got)
	}
	if st, _ := f.StackInfo("orders-dev"); !st.TerminationProtection || !rec.contains("enabled termination protection") {
		t.Errorf("termination protection not enabled; log %q", rec.lines())
	}
	// A second run with no changes must not call it again.
	if _, err := d.Deploy(context.Background(), in); err != nil {
		t.Fatalf("second Deploy: %v", err)
	}
	if got := f.Requests("UpdateTerminationProtection"); len(got) != 1 {
		t.Errorf("UpdateTerminationProtection requests = %q, want 1", got)
	}
}

func TestDeploy_AutoExpandCapability(t *testing.T) {
	t.Parallel()
	f := cfntest.NewServer(t)
	d, _ := testDeployer(t, f)
	_, err := d.Deploy(context.Background(), execInput(`{"Resources":{"X":{"Type":"AWS::SQS::Queue"}},"Transform":"AWS::Serverless-2016-10-31"}`))
	if err != nil {
		t.Fatalf("Deploy: %v", err)
	}
	create := f.Requests("CreateChangeSet")
	if len(create) != 1 || !strings.Contains(create[0], "Capabilities.member.1=CAPABILITY_AUTO_EXPAND") {
		t.Errorf("CreateChangeSet = %q", create)
	}
}

func TestDeploy_ChangeSetFailedWithReason(t *testing.T) {
	t.Parallel()
	f := cfntest.NewServer(t)
	f.AddStack("orders-dev", "UPDATE_COMPLETE", tmplV1)
	const reason = "Template error: instance of Fn::GetAtt references undefined resource Nope"
	f.FailChangeSets(reason)
	d, _ := testDeployer(t, f)
	res, err := d.Deploy(context.Background(), execInput(tmplBatch))
	var cf *ChangeSetFailedError
	if !errors.As(err, &cf) || cf.Reason != reason || cf.Status != "FAILED" {
		t.Fatalf("err = %v, want ChangeSetFailedError with the reason", err)
	}
	if !res.ChangeSetDeleted || len(f.Requests("DeleteChangeSet")) != 1 {
		t.Errorf("failed change set not deleted: %+v", res)
	}
}

var ignoreTimes = cmpopts.IgnoreFields(StackEvent{}, "ID", "Timestamp")
