package deploy

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// emptyReasons are the StatusReason fragments of a change set that failed
// only because nothing changed (the first for change sets, the second as
// UpdateStack words it; AWS has used both).
var emptyReasons = []string{"didn't contain changes", "No updates are to be performed"}

func isEmptyReason(reason string) bool {
	for _, s := range emptyReasons {
		if strings.Contains(reason, s) {
			return true
		}
	}
	return false
}

// changeSetRef names the change set in API calls: its ARN once known, since
// a name alone can resolve to an obsolete change set; otherwise name+stack.
func (r *run) changeSetRef() (name, stack *string) {
	if r.res.ChangeSetID != "" {
		return aws.String(r.res.ChangeSetID), nil
	}
	return aws.String(r.res.ChangeSetName), aws.String(r.in.StackName)
}

// createChangeSet sends CreateChangeSet, uploading the template first when
// it is too large to send inline.
func (r *run) createChangeSet(ctx context.Context, csType types.ChangeSetType) error {
	name := r.d.newName()
	if !validName(name) {
		return fmt.Errorf("invalid change set name %q: use letters, digits and hyphens, starting with a letter, at most 128 characters", name)
	}
	r.res.ChangeSetName, r.res.ChangeSetType = name, string(csType)
	in := &cloudformation.CreateChangeSetInput{
		StackName:     aws.String(r.in.StackName),
		ChangeSetName: aws.String(name),
		ChangeSetType: csType,
		Description:   aws.String("stream-events deploy"),
		// The token makes the SDK's retries of this call idempotent.
		ClientToken: aws.String(name),
		Tags:        sdkTags(r.in.Tags),
	}
	for _, c := range r.caps {
		in.Capabilities = append(in.Capabilities, types.Capability(c))
	}
	if r.in.RoleARN != "" {
		in.RoleARN = aws.String(r.in.RoleARN)
	}
	if err := r.setTemplate(ctx, in, name); err != nil {
		return err
	}
	r.phase = "creation of change set " + name
	r.csTried = true
	var out *cloudformation.CreateChangeSetOutput
	err := r.call(ctx, func(ctx context.Context) (err error) {
		out, err = r.d.cfn.CreateChangeSet(ctx, in)
		return err
	})
	if err != nil {
		// Only an interrupted call may have created it anyway.
		r.csTried = ctx.Err() != nil
		return fmt.Errorf("create change set %s for stack %s: %w", name, r.in.StackName, err)
	}
	r.res.ChangeSetID, r.res.StackID = aws.ToString(out.Id), aws.ToString(out.StackId)
	if csType == types.ChangeSetTypeCreate {
		r.res.StackStatus = string(types.StackStatusReviewInProgress)
	}
	r.logf("created %s change set %s for stack %s", csType, name, r.in.StackName)
	return nil
}

func sdkTags(tags []Tag) []types.Tag {
	var out []types.Tag
	for _, t := range tags {
		out = append(out, types.Tag{Key: aws.String(t.Key), Value: aws.String(t.Value)})
	}
	return out
}

// waitChangeSet polls until the change set is ready. It reports empty for
// a change set that failed only for lack of changes, and fills
// Result.Changes otherwise.
func (r *run) waitChangeSet(ctx context.Context) (empty bool, err error) {
	var last *cloudformation.DescribeChangeSetOutput
	err = r.poll(ctx, func(ctx context.Context) (bool, error) {
		out, err := r.describeChangeSet(ctx, nil)
		if err != nil {
			return false, err
		}
		last = out
		switch out.Status {
		case types.ChangeSetStatusCreatePending, types.ChangeSetStatusCreateInProgress:
			return false, nil
		}
		return true, nil
	})
	if err != nil {
		return false, err
	}
	if last.CreationTime != nil {
		r.csCreated = *last.CreationTime
	}
	reason := aws.ToString(last.StatusReason)
	switch {
	case last.Status == types.ChangeSetStatusFailed && isEmptyReason(reason):
		return true, nil
	case last.Status != types.ChangeSetStatusCreateComplete:
		return false, &ChangeSetFailedError{StackName: r.in.StackName, ChangeSetName: r.res.ChangeSetName,
			Status: string(last.Status), Reason: reason}
	}
	r.res.Changes, err = r.collectChanges(ctx, last)
	return false, err
}

// describeChangeSet fetches one page of the change set.
func (r *run) describeChangeSet(ctx context.Context, token *string) (*cloudformation.DescribeChangeSetOutput, error) {
	name, stack := r.changeSetRef()
	out, err := r.d.cfn.DescribeChangeSet(ctx, &cloudformation.DescribeChangeSetInput{
		ChangeSetName: name, StackName: stack, NextToken: token})
	if err != nil {
		return nil, fmt.Errorf("describe change set %s for stack %s: %w", r.res.ChangeSetName, r.in.StackName, err)
	}
	return out, nil
}

// collectChanges converts the first page and fetches the rest.
func (r *run) collectChanges(ctx context.Context, page *cloudformation.DescribeChangeSetOutput) ([]Change, error) {
	var changes []Change
	for {
		for _, c := range page.Changes {
			if c.ResourceChange != nil {
				changes = append(changes, toChange(c.ResourceChange))
			}
		}
		if aws.ToString(page.NextToken) == "" {
			return changes, nil
		}
		var err error
		if page, err = r.describeChangeSet(ctx, page.NextToken); err != nil {
			return nil, err
		}
	}
}

func toChange(rc *types.ResourceChange) Change {
	c := Change{
		Action:      string(rc.Action),
		LogicalID:   aws.ToString(rc.LogicalResourceId),
		PhysicalID:  aws.ToString(rc.PhysicalResourceId),
		Type:        aws.ToString(rc.ResourceType),
		Replacement: string(rc.Replacement),
	}
	for _, s := range rc.Scope {
		c.Scope = append(c.Scope, string(s))
	}
	for _, d := range rc.Details {
		if d.Target == nil {
			continue
		}
		c.Targets = append(c.Targets, Target{Attribute: string(d.Target.Attribute),
			Name: aws.ToString(d.Target.Name), RequiresRecreation: string(d.Target.RequiresRecreation)})
	}
	c.Details = summarizeTargets(c.Targets)
	return c
}

// summarizeTargets writes the changed attributes as
// "Properties.StartingPosition (recreate), Tags", each once.
func summarizeTargets(ts []Target) string {
	seen := map[string]bool{}
	var parts []string
	for _, t := range ts {
		s := t.Attribute
		if t.Name != "" && t.Name != t.Attribute {
			s += "." + t.Name
		}
		switch t.RequiresRecreation {
		case "Always":
			s += " (recreate)"
		case "Conditionally":
			s += " (may recreate)"
		}
		if !seen[s] {
			seen[s] = true
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// deleteChangeSet deletes the run's change set; one already gone counts.
func (r *run) deleteChangeSet(ctx context.Context) error {
	name, stack := r.changeSetRef()
	_, err := r.d.cfn.DeleteChangeSet(ctx, &cloudformation.DeleteChangeSetInput{ChangeSetName: name, StackName: stack})
	switch {
	case err == nil:
		r.logf("deleted change set %s", r.res.ChangeSetName)
	case !changeSetMissing(err):
		return fmt.Errorf("delete change set %s for stack %s: %w", r.res.ChangeSetName, r.in.StackName, err)
	}
	r.res.ChangeSetDeleted = true
	return nil
}

// finishEmpty handles a change set with nothing to do: it is deleted
// (AWS limits failed change sets per stack) and the run succeeds.
func (r *run) finishEmpty(ctx context.Context) error {
	r.logf("no changes: stack %s is up to date", r.in.StackName)
	if err := r.deleteChangeSet(ctx); err != nil {
		r.warnf("%v", err)
	}
	if r.in.Mode == Execute {
		return r.protect(ctx)
	}
	return nil
}
