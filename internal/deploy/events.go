package deploy

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation/types"
)

// streamer returns each stack event once, oldest first. DescribeStackEvents
// pages newest first, so a fetch reads until an event it has already
// returned or one older than the cutoff (copilot's and CDK's approach).
type streamer struct {
	cfn     cfnAPI
	stackID string
	cutoff  time.Time
	seen    map[string]bool
	base    time.Time    // timestamp of the first event shown, for elapsed times
	all     []StackEvent // everything returned so far, oldest first
}

// fetch returns the events that are new since the last fetch.
func (s *streamer) fetch(ctx context.Context) ([]StackEvent, error) {
	var batch []StackEvent
	var token *string
	for {
		out, err := s.cfn.DescribeStackEvents(ctx, &cloudformation.DescribeStackEventsInput{
			StackName: aws.String(s.stackID), NextToken: token})
		if err != nil {
			return nil, fmt.Errorf("describe events of stack %s: %w", s.stackID, err)
		}
		for _, e := range out.StackEvents {
			ev := toStackEvent(e)
			if s.seen[ev.ID] || ev.Timestamp.Before(s.cutoff) {
				return s.accept(batch), nil
			}
			batch = append(batch, ev)
		}
		if token = out.NextToken; aws.ToString(token) == "" {
			return s.accept(batch), nil
		}
	}
}

// accept marks a newest-first batch as seen and returns it oldest first,
// without the REVIEW_IN_PROGRESS event that only records the change set.
func (s *streamer) accept(batch []StackEvent) []StackEvent {
	slices.Reverse(batch)
	out := batch[:0]
	for _, ev := range batch {
		if s.seen[ev.ID] {
			continue
		}
		s.seen[ev.ID] = true
		if ev.Status != "REVIEW_IN_PROGRESS" {
			out = append(out, ev)
		}
	}
	s.all = append(s.all, out...)
	return out
}

func toStackEvent(e types.StackEvent) StackEvent {
	return StackEvent{
		ID:           aws.ToString(e.EventId),
		Timestamp:    aws.ToTime(e.Timestamp),
		LogicalID:    aws.ToString(e.LogicalResourceId),
		PhysicalID:   aws.ToString(e.PhysicalResourceId),
		ResourceType: aws.ToString(e.ResourceType),
		Status:       string(e.ResourceStatus),
		Reason:       aws.ToString(e.ResourceStatusReason),
	}
}

// FormatEvent renders one event line for the log:
//
//	+12s  CREATE_COMPLETE     AWS::Lambda::EventSourceMapping  MyMapping  reason
//
// Columns have fixed minimum widths because lines are printed as they
// arrive, before the widest value is known.
func FormatEvent(ev StackEvent, elapsed time.Duration) string {
	line := fmt.Sprintf("%6s  %-20s  %-36s  %s", "+"+formatElapsed(elapsed), ev.Status, ev.ResourceType, ev.LogicalID)
	if ev.Reason != "" {
		line += "  " + oneLine(ev.Reason)
	}
	return strings.TrimRight(line, " ")
}

// formatElapsed prints whole seconds as 12s, 3m04s or 1h02m03s.
func formatElapsed(d time.Duration) string {
	s := int(max(d, 0).Round(time.Second) / time.Second)
	switch {
	case s < 60:
		return fmt.Sprintf("%ds", s)
	case s < 3600:
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	}
	return fmt.Sprintf("%dh%02dm%02ds", s/3600, s/60%60, s%60)
}

// oneLine keeps a multi-line AWS reason on its log line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
