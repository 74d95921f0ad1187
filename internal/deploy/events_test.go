package deploy

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
	"github.com/google/go-cmp/cmp"
)

// eventsOnly is a one-method fake: it serves a growing newest-first event
// list in pages of two. Other cfnAPI methods are nil and would panic.
type eventsOnly struct {
	cfnAPI
	events []types.StackEvent // newest first
}

func (e *eventsOnly) DescribeStackEvents(_ context.Context, in *cloudformation.DescribeStackEventsInput, _ ...func(*cloudformation.Options)) (*cloudformation.DescribeStackEventsOutput, error) {
	start := 0
	if in.NextToken != nil {
		start = int((*in.NextToken)[0] - '0')
	}
	end := min(start+2, len(e.events))
	out := &cloudformation.DescribeStackEventsOutput{StackEvents: e.events[start:end]}
	if end < len(e.events) {
		out.NextToken = aws.String(string(rune('0' + end)))
	}
	return out, nil
}

func sdkEvent(id string, at time.Time, status string) types.StackEvent {
	return types.StackEvent{EventId: aws.String(id), Timestamp: aws.Time(at), LogicalResourceId: aws.String("L"),
		ResourceStatus: types.ResourceStatus(status)}
}

func TestStreamer_DedupesSameTimestampAndCutsOff(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	fake := &eventsOnly{events: []types.StackEvent{
		sdkEvent("b", t0.Add(time.Second), "CREATE_IN_PROGRESS"),
		sdkEvent("a", t0.Add(time.Second), "REVIEW_IN_PROGRESS"),   // filtered: only records the change set
		sdkEvent("old", t0.Add(-time.Hour), "UPDATE_COMPLETE"),     // before the cutoff
		sdkEvent("older", t0.Add(-2*time.Hour), "UPDATE_COMPLETE"), // never read
	}}
	s := &streamer{cfn: fake, stackID: "s", cutoff: t0, seen: map[string]bool{}}
	ids := func(evs []StackEvent) []string {
		var out []string
		for _, e := range evs {
			out = append(out, e.ID)
		}
		return out
	}
	got, err := s.fetch(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"b"}, ids(got)); d != "" {
		t.Errorf("first fetch (-want +got):\n%s", d)
	}
	// Three new events, two sharing b's timestamp, arrive across pages.
	fake.events = append([]types.StackEvent{
		sdkEvent("e", t0.Add(2*time.Second), "CREATE_COMPLETE"),
		sdkEvent("d", t0.Add(time.Second), "CREATE_COMPLETE"),
		sdkEvent("c", t0.Add(time.Second), "CREATE_IN_PROGRESS"),
	}, fake.events...)
	got, _ = s.fetch(context.Background())
	if d := cmp.Diff([]string{"c", "d", "e"}, ids(got)); d != "" {
		t.Errorf("second fetch (-want +got):\n%s", d)
	}
	if got, _ = s.fetch(context.Background()); len(got) != 0 {
		t.Errorf("third fetch = %v, want nothing new", ids(got))
	}
	if d := cmp.Diff([]string{"b", "c", "d", "e"}, ids(s.all)); d != "" {
		t.Errorf("all (-want +got):\n%s", d)
	}
}

func TestFailedEvents(t *testing.T) {
	t.Parallel()
	evs := []StackEvent{
		{LogicalID: "s", ResourceType: "AWS::CloudFormation::Stack", Status: "UPDATE_ROLLBACK_FAILED", Reason: "stack"},
		{LogicalID: "A", Status: "UPDATE_FAILED", Reason: "Resource update cancelled"},
		{LogicalID: "B", Status: "UPDATE_FAILED", Reason: "boom"},
		{LogicalID: "B", Status: "UPDATE_FAILED", Reason: "boom again"},
		{LogicalID: "B", Status: "UPDATE_COMPLETE"},
		{LogicalID: "C", Status: "DELETE_FAILED", Reason: "still in use"},
	}
	got := failedEvents(evs, "s")
	want := []StackEvent{evs[2], evs[5], evs[1]}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}
