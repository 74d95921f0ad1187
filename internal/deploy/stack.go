package deploy

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// stackAction is what a stack's status lets us do next.
type stackAction uint8

const (
	actCreate   stackAction = iota + 1 // no stack, or a stub waiting for review
	actUpdate                          // a settled stack
	actRecreate                        // a failed first create: delete, then create
	actWait                            // an operation is running
	actFail                            // needs manual repair
)

// decide maps a stack status to the next step. REVIEW_IN_PROGRESS is the
// stub a CREATE change set leaves; it takes CREATE change sets, not UPDATE.
func decide(status string) stackAction {
	switch status {
	case "", "DELETE_COMPLETE", "REVIEW_IN_PROGRESS":
		return actCreate
	case "ROLLBACK_COMPLETE":
		return actRecreate
	case "DELETE_FAILED", "ROLLBACK_FAILED", "UPDATE_ROLLBACK_FAILED", "IMPORT_ROLLBACK_FAILED":
		return actFail
	}
	if strings.HasSuffix(status, "_IN_PROGRESS") {
		return actWait
	}
	return actUpdate
}

// advice says how to get a stack out of a state Deploy cannot fix.
func advice(status, stack string) string {
	switch status {
	case "DELETE_FAILED":
		return fmt.Sprintf("delete it again, retaining the resources that failed to delete (aws cloudformation delete-stack --stack-name %s --retain-resources <LogicalId>...), then run again", stack)
	case "UPDATE_ROLLBACK_FAILED":
		return fmt.Sprintf("fix the cause shown in the stack events, run aws cloudformation continue-update-rollback --stack-name %s (add --resources-to-skip for resources that cannot roll back), then run again", stack)
	case "ROLLBACK_FAILED":
		return fmt.Sprintf("the failed create could not roll back; delete the stack (aws cloudformation delete-stack --stack-name %s, retaining resources that fail to delete), then run again", stack)
	case "ROLLBACK_COMPLETE":
		return "a preview cannot delete it; run an execute deploy (--mode execute, or deploy: execute in the Action), which deletes and re-creates it, or delete the stack"
	}
	return "resolve it in the CloudFormation console (see the stack events), then run again"
}

// prepareStack brings the stack to a state that takes a change set and
// returns the change-set type to use.
func (r *run) prepareStack(ctx context.Context) (types.ChangeSetType, error) {
	for {
		r.phase = "stack " + r.in.StackName
		st, err := r.describeStack(ctx, r.in.StackName)
		if err != nil {
			return "", err
		}
		r.setStack(st)
		status := stackStatus(st)
		switch decide(status) {
		case actCreate:
			r.stub = st == nil || status == "DELETE_COMPLETE"
			return types.ChangeSetTypeCreate, nil
		case actUpdate:
			return types.ChangeSetTypeUpdate, nil
		case actRecreate:
			if r.in.Mode == Preview {
				return "", r.unrecoverable(st)
			}
			if err := r.recreate(ctx, st); err != nil {
				return "", err
			}
			r.stub = true
			return types.ChangeSetTypeCreate, nil
		case actWait:
			if err := r.waitIdle(ctx, st); err != nil {
				return "", err
			}
		default:
			return "", r.unrecoverable(st)
		}
	}
}

func (r *run) unrecoverable(st *types.Stack) error {
	status := stackStatus(st)
	return &StackUnrecoverableError{StackName: r.in.StackName, Status: status,
		Reason: aws.ToString(st.StackStatusReason), Advice: advice(status, r.in.StackName)}
}

// describeStack returns the stack named (or with ID) name, or nil if absent.
func (r *run) describeStack(ctx context.Context, name string) (*types.Stack, error) {
	var out *cloudformation.DescribeStacksOutput
	err := r.call(ctx, func(ctx context.Context) (err error) {
		out, err = r.d.cfn.DescribeStacks(ctx, &cloudformation.DescribeStacksInput{StackName: aws.String(name)})
		return err
	})
	if stackMissing(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("describe stack %s: %w", name, err)
	}
	if len(out.Stacks) == 0 {
		return nil, nil
	}
	return &out.Stacks[0], nil
}

// setStack records what Result reports about the stack.
func (r *run) setStack(st *types.Stack) {
	r.stack = st
	if st == nil {
		return
	}
	r.res.StackID = aws.ToString(st.StackId)
	r.res.StackStatus = string(st.StackStatus)
	r.res.Outputs = outputs(st.Outputs)
}

func stackStatus(st *types.Stack) string {
	if st == nil {
		return ""
	}
	return string(st.StackStatus)
}

// waitIdle polls a busy stack until its operation ends. Running out of time
// here is StackBusyError rather than a timeout, because the stack, not our
// own operation, is what is slow.
func (r *run) waitIdle(ctx context.Context, st *types.Stack) error {
	id, status := aws.ToString(st.StackId), stackStatus(st)
	r.logf("stack %s is %s; waiting for the running operation to finish (up to %s)", r.in.StackName, status, r.timeout)
	r.phase = "stack " + r.in.StackName + " to leave " + status
	err := r.poll(ctx, func(ctx context.Context) (bool, error) {
		cur, err := r.describeStack(ctx, id)
		if err != nil || cur == nil {
			return cur == nil, err
		}
		r.setStack(cur)
		status = stackStatus(cur)
		return decide(status) != actWait, nil
	})
	if err != nil && ctx.Err() != nil && context.Cause(ctx) == errTimedOut {
		return &StackBusyError{StackName: r.in.StackName, Status: status, Waited: r.d.now().Sub(r.start)}
	}
	return err
}

// recreate deletes a ROLLBACK_COMPLETE stack, which has no resources left
// but cannot be updated, so the run can create it afresh.
func (r *run) recreate(ctx context.Context, st *types.Stack) error {
	id := aws.ToString(st.StackId)
	r.warnf("stack %s is ROLLBACK_COMPLETE after a failed first create; deleting it to create it again", r.in.StackName)
	if _, err := r.d.cfn.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(id)}); err != nil {
		return fmt.Errorf("delete stack %s: %w", r.in.StackName, err)
	}
	r.phase = "deletion of stack " + r.in.StackName
	var last *types.Stack
	err := r.poll(ctx, func(ctx context.Context) (bool, error) {
		cur, err := r.describeStack(ctx, id)
		last = cur
		return err == nil && (cur == nil || cur.StackStatus == types.StackStatusDeleteComplete ||
			cur.StackStatus == types.StackStatusDeleteFailed), err
	})
	if err != nil {
		return err
	}
	if last != nil && last.StackStatus == types.StackStatusDeleteFailed {
		return r.unrecoverable(last)
	}
	r.res.Recreated = true
	r.res.StackID, r.res.StackStatus, r.res.Outputs = "", "", nil
	r.logf("deleted stack %s", r.in.StackName)
	return nil
}

// deleteStub removes the REVIEW_IN_PROGRESS stack a CREATE change set left
// behind, so a preview of a new stack leaves nothing in the account.
func (r *run) deleteStub(ctx context.Context) {
	id := r.res.StackID
	if id == "" {
		id = r.in.StackName
	}
	if _, err := r.d.cfn.DeleteStack(ctx, &cloudformation.DeleteStackInput{StackName: aws.String(id)}); err != nil {
		r.warnf("delete stack stub %s: %v", r.in.StackName, err)
		return
	}
	r.res.StackID, r.res.StackStatus = "", ""
}

// outputs converts stack outputs, sorted by key because AWS promises no
// order and the caller turns them into action outputs and summaries.
func outputs(in []types.Output) []Output {
	var out []Output
	for _, o := range in {
		out = append(out, Output{Key: aws.ToString(o.OutputKey), Value: aws.ToString(o.OutputValue)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}
