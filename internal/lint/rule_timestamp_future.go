package lint

import (
	"math"
	"time"

	"github.com/stream-events/stream-events/internal/diag"
)

var ruleTimestampFuture = diag.Rule{
	ID:          "timestamp-future",
	Severity:    diag.Error,
	Summary:     "a timestamp in the future or in milliseconds",
	Description: "startingPositionTimestamp lies in the future (often milliseconds where Lambda wants Unix seconds), which Lambda rejects.",
}

// msThreshold: a value this large in seconds is past the year 5000; it is
// a millisecond timestamp.
const msThreshold = 1e11

func checkTimestampFuture(p *pass) {
	now := float64(p.opts.Now.Unix())
	for _, e := range p.events {
		ts := e.get("startingPositionTimestamp")
		if ts == nil || opaque(ts) {
			continue
		}
		f, ok := asNumber(ts)
		if !ok || f <= now || math.IsInf(f, 0) {
			continue
		}
		if f >= msThreshold {
			p.report(&ruleTimestampFuture, ts, "startingPositionTimestamp %s looks like milliseconds; Lambda wants Unix seconds: %s", num(f), num(math.Floor(f/1000)))
			continue
		}
		when := time.Unix(int64(f), 0).UTC().Format(time.RFC3339)
		p.report(&ruleTimestampFuture, ts, "startingPositionTimestamp %s (%s) is in the future, which Lambda rejects; use a past time in Unix seconds", num(f), when)
	}
}
