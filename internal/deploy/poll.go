package deploy

import (
	"context"
	"time"

	"github.com/stream-events/stream-events/internal/clock"
)

// backoff yields poll delays: min, then ×factor up to max. CloudFormation
// operations often finish in a few seconds, so polling starts at 1 s rather
// than the SDK waiters' 30 s, and grows to stay clear of rate limits.
type backoff struct {
	min, max time.Duration
	factor   float64
	cur      time.Duration
}

// next returns the delay before the next poll and advances.
func (b *backoff) next() time.Duration {
	if b.cur == 0 {
		b.cur = b.min
		return b.cur
	}
	b.cur = min(time.Duration(float64(b.cur)*b.factor), b.max)
	return b.cur
}

// reset starts again from min; pollers call it when something happened.
func (b *backoff) reset() { b.cur = 0 }

// maxTransient is how many transient errors in a row a poller rides out
// (on top of the SDK's own retries) before giving up.
const maxTransient = 8

// newBackoff returns the deployer's poll schedule.
func (d *Deployer) newBackoff() *backoff {
	return &backoff{min: d.minDelay, max: d.maxDelay, factor: d.factor}
}

// poll calls check after each delay until it reports done or fails.
func (r *run) poll(ctx context.Context, check func(context.Context) (bool, error)) error {
	return r.pollWith(ctx, r.d.newBackoff(), check)
}

// pollWith is poll with a caller-held backoff, which check may reset when
// it sees progress. Transient errors (throttling, 5xx) that outlast the
// SDK's retries are ridden out up to maxTransient times in a row.
func (r *run) pollWith(ctx context.Context, b *backoff, check func(context.Context) (bool, error)) error {
	failures := 0
	for {
		if err := clock.Sleep(ctx, b.next()); err != nil {
			return err
		}
		done, err := check(ctx)
		switch {
		case err == nil && done:
			return nil
		case err == nil:
			failures = 0
		case transient(err) && failures < maxTransient && ctx.Err() == nil:
			failures++
			r.warnf("%v; retrying", err)
		default:
			return err
		}
	}
}

// call runs one AWS call, riding out transient errors (throttling, 5xx)
// that outlast the SDK's own retries, as the pollers do: a burst of
// Throttling on the first DescribeStacks must not fail a deploy. Calls
// that change state carry client tokens, so a repeat is safe.
func (r *run) call(ctx context.Context, f func(context.Context) error) error {
	b := r.d.newBackoff()
	for failures := 0; ; failures++ {
		err := f(ctx)
		if err == nil || !transient(err) || failures >= maxTransient || ctx.Err() != nil {
			return err
		}
		r.warnf("%v; retrying", err)
		if err := clock.Sleep(ctx, b.next()); err != nil {
			return err
		}
	}
}
