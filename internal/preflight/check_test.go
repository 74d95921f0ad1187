package preflight

import (
	"context"
	"strings"
	"testing"
)

// stub is an account with one Kinesis stream in a given state; every
// other resource exists.
type stub struct{ stream Stream }

func (s stub) Function(context.Context, string, string) (bool, error) { return true, nil }
func (s stub) Role(context.Context, string) (bool, error)             { return true, nil }
func (s stub) KinesisStream(context.Context, string) (Stream, error)  { return s.stream, nil }
func (s stub) StreamConsumers(context.Context, string) ([]string, error) {
	return nil, nil
}
func (s stub) Table(context.Context, string) (Table, error) { return Table{}, nil }
func (s stub) Queue(context.Context, string) (bool, error)  { return true, nil }
func (s stub) Topic(context.Context, string) (bool, error)  { return true, nil }
func (s stub) Mappings(context.Context, string, string) ([]Mapping, error) {
	return nil, nil
}
func (s stub) StackMappings(context.Context, string) (map[string]string, error) { return nil, nil }

// TestCheck_KinesisStatus: moto's streams are ACTIVE at once, so the
// states a mapping cannot use are checked here.
func TestCheck_KinesisStatus(t *testing.T) {
	t.Parallel()
	for status, want := range map[string]string{
		"ACTIVE": "", "UPDATING": "", "": "",
		"CREATING": "Kinesis stream arn:aws:kinesis:us-east-1:1:stream/s is CREATING; a mapping needs it ACTIVE or UPDATING",
		"DELETING": "is DELETING",
	} {
		fs, err := Check(context.Background(), stub{Stream{Exists: true, Status: status}}, Stacks{},
			[]Target{{Kind: "kinesis", Function: "f", Source: "arn:aws:kinesis:us-east-1:1:stream/s", Stream: "arn:aws:kinesis:us-east-1:1:stream/s"}})
		switch {
		case err != nil:
			t.Fatal(err)
		case want == "" && len(fs) != 0:
			t.Errorf("%s: %v", status, fs)
		case want != "" && (len(fs) != 1 || fs[0].Rule != RuleSource || !strings.Contains(fs[0].Message, want)):
			t.Errorf("%s: %v, want %q", status, fs, want)
		}
	}
}

func TestTableOfStream(t *testing.T) {
	t.Parallel()
	for arn, want := range map[string]string{
		"arn:aws:dynamodb:us-east-1:1:table/orders/stream/2026-01-01T00:00:00.000": "orders",
		"arn:aws:dynamodb:us-east-1:1:table/orders":                                "",
		"arn:aws:kinesis:us-east-1:1:table/orders/stream/x":                        "",
	} {
		if got, _ := TableOfStream(arn); got != want {
			t.Errorf("%s: %q, want %q", arn, got, want)
		}
	}
}
