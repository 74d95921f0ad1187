package deploy

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"

	"github.com/stream-events/stream-events/internal/deploy/cfntest"
)

// fastRetryer keeps the SDK's real retry decisions (which codes, how many
// attempts) but without sleeping, so fault tests stay fast.
func fastRetryer() aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
		o.RateLimiter = ratelimit.None
	})
}

// testConfig is an SDK config for loopback servers: fake static keys, so
// requests are signed as in production, and no shared files or IMDS.
func testConfig() aws.Config {
	return aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("AKIDTEST", "secret", ""),
		Retryer:     fastRetryer,
	}
}

func newCFNClient(url string) *cloudformation.Client {
	return cloudformation.NewFromConfig(testConfig(), func(o *cloudformation.Options) { o.BaseEndpoint = aws.String(url) })
}

// recorder collects the deployer's live events.
type recorder struct {
	mu     sync.Mutex
	events []Event
}

func (r *recorder) sink(e Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, e)
}

// lines returns the events as "kind: message" strings.
func (r *recorder) lines() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, e := range r.events {
		out = append(out, fmt.Sprintf("%d: %s", e.Kind, e.Message))
	}
	return out
}

func (r *recorder) stackEvents() []StackEvent {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []StackEvent
	for _, e := range r.events {
		if e.Kind == EventStack {
			out = append(out, e.Stack)
		}
	}
	return out
}

func (r *recorder) contains(sub string) bool {
	for _, l := range r.lines() {
		if strings.Contains(l, sub) {
			return true
		}
	}
	return false
}

// testDeployer wires a Deployer to the fake f with millisecond polling, a fixed
// clock and predictable change-set names.
func testDeployer(t *testing.T, f *cfntest.Server, opts ...Option) (*Deployer, *recorder) {
	t.Helper()
	rec := &recorder{}
	var n atomic.Int64
	base := []Option{
		WithPollDelays(time.Millisecond, 5*time.Millisecond, 1.5),
		WithClock(func() time.Time { return time.Date(2026, 11, 28, 5, 0, 0, 0, time.UTC) }),
		WithChangeSetNamer(func() string { return fmt.Sprintf("cs-%d", n.Add(1)) }),
		WithEventSink(rec.sink),
	}
	return New(newCFNClient(f.URL), append(base, opts...)...), rec
}
