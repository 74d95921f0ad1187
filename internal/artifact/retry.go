package artifact

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// RetryPolicy bounds retries of one request. Zero fields take the defaults.
type RetryPolicy struct {
	// Attempts is the total number of tries, the first included (default 5,
	// as in @actions/artifact). 1 disables retries.
	Attempts int
	// BaseDelay is the wait after the first failure; it doubles after each
	// further failure (default 2s).
	BaseDelay time.Duration
	// MaxDelay caps every wait, including one asked for by Retry-After
	// (default 30s).
	MaxDelay time.Duration
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.Attempts <= 0 {
		p.Attempts = 5
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = 2 * time.Second
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = 30 * time.Second
	}
	if p.MaxDelay < p.BaseDelay {
		p.MaxDelay = p.BaseDelay
	}
	return p
}

// delay is the wait after failed attempt n (1-based). A server's Retry-After
// wins over the exponential value when it is longer, within MaxDelay. No
// jitter: a job uploads once, so there is no herd to spread, and tests get
// exact delays.
func (p RetryPolicy) delay(n int, retryAfter time.Duration) time.Duration {
	d := p.BaseDelay
	for i := 1; i < n && d < p.MaxDelay; i++ {
		d *= 2
	}
	d = max(d, retryAfter)
	return min(d, p.MaxDelay)
}

// retry runs try until it succeeds, fails for good, or the attempts run out.
// Only *RequestError with a temporary status and *netError are retried, and
// a network error caused by ctx ending is not.
func (c *Client) retry(ctx context.Context, try func(context.Context) error) error {
	var last error
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return joinLast(err, last)
		}
		last = try(ctx)
		if last == nil {
			return nil
		}
		if !retryable(ctx, last) {
			return last
		}
		if n >= c.policy.Attempts {
			return giveUp(n, last)
		}
		if err := c.sleep(ctx, c.policy.delay(n, retryAfterOf(last))); err != nil {
			return joinLast(err, last)
		}
	}
}

func giveUp(attempts int, last error) error {
	if attempts == 1 {
		return last
	}
	return fmt.Errorf("giving up after %d attempts: %w", attempts, last)
}

func retryable(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var re *RequestError
	if errors.As(err, &re) {
		return re.Temporary()
	}
	var ne *netError
	return errors.As(err, &ne)
}

// joinLast keeps both the reason for stopping (usually ctx) and the failure
// that made us wait, so errors.Is works for either.
func joinLast(stop, last error) error {
	if last == nil {
		return stop
	}
	return fmt.Errorf("%w (last attempt: %w)", stop, last)
}

func retryAfterOf(err error) time.Duration {
	var re *RequestError
	if errors.As(err, &re) {
		return re.retryAfter
	}
	return 0
}

// parseRetryAfter reads a Retry-After header in its delay-seconds form. The
// HTTP-date form is ignored: it needs a trustworthy clock on both sides.
func parseRetryAfter(h http.Header) time.Duration {
	secs, err := strconv.Atoi(h.Get("Retry-After"))
	if err != nil || secs <= 0 {
		return 0
	}
	return time.Duration(secs) * time.Second
}
