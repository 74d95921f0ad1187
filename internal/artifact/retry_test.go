package artifact

import (
	"net/http"
	"testing"
	"time"
)

func TestRetryPolicy_Delay(t *testing.T) {
	p := RetryPolicy{BaseDelay: time.Second, MaxDelay: 5 * time.Second}.withDefaults()
	tests := []struct {
		attempt    int
		retryAfter time.Duration
		want       time.Duration
	}{
		{attempt: 1, want: time.Second},
		{attempt: 2, want: 2 * time.Second},
		{attempt: 3, want: 4 * time.Second},
		{attempt: 4, want: 5 * time.Second},  // capped
		{attempt: 60, want: 5 * time.Second}, // no overflow
		{attempt: 1, retryAfter: 3 * time.Second, want: 3 * time.Second},
		{attempt: 3, retryAfter: 3 * time.Second, want: 4 * time.Second},
		{attempt: 1, retryAfter: time.Hour, want: 5 * time.Second}, // Retry-After is bounded too
	}
	for _, tt := range tests {
		if got := p.delay(tt.attempt, tt.retryAfter); got != tt.want {
			t.Errorf("delay(%d, %v) = %v, want %v", tt.attempt, tt.retryAfter, got, tt.want)
		}
	}
}

func TestRetryPolicy_Defaults(t *testing.T) {
	got := RetryPolicy{}.withDefaults()
	want := RetryPolicy{Attempts: 5, BaseDelay: 2 * time.Second, MaxDelay: 30 * time.Second}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestParseRetryAfter(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"": 0, "7": 7 * time.Second, "-1": 0, "soon": 0, "Wed, 21 Oct 2015 07:28:00 GMT": 0,
	} {
		h := http.Header{}
		h.Set("Retry-After", in)
		if got := parseRetryAfter(h); got != want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", in, got, want)
		}
	}
}

func TestRequestError_Temporary(t *testing.T) {
	for status, want := range map[int]bool{
		400: false, 401: false, 403: false, 404: false, 409: false, 429: true,
		500: true, 501: false, 502: true, 503: true, 504: true,
	} {
		if got := (&RequestError{Status: status}).Temporary(); got != want {
			t.Errorf("status %d: Temporary() = %v, want %v", status, got, want)
		}
	}
}
