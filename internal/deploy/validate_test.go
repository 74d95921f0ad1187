package deploy

import (
	"context"
	"strings"
	"testing"

	"github.com/stream-events/stream-events/internal/deploy/cfntest"
)

func TestDeploy_RejectsBadInputBeforeAWS(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in   Input
		want string
	}{
		"empty stack name":   {Input{TemplateBody: []byte(tmplV1), Mode: Execute}, "invalid stack name"},
		"bad stack name":     {Input{StackName: "1-orders", TemplateBody: []byte(tmplV1), Mode: Execute}, "invalid stack name"},
		"underscore in name": {Input{StackName: "orders_dev", TemplateBody: []byte(tmplV1), Mode: Execute}, "invalid stack name"},
		"no mode":            {Input{StackName: "orders", TemplateBody: []byte(tmplV1)}, "invalid mode"},
		"no template":        {Input{StackName: "orders", Mode: Preview}, "empty template"},
		"not JSON":           {Input{StackName: "orders", Mode: Preview, TemplateBody: []byte("Resources: {}")}, "parse template"},
		"bucket but no S3 client": {Input{StackName: "orders", Mode: Preview, S3Bucket: "b",
			TemplateBody: []byte(bigTemplate())}, "no S3 client"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := cfntest.NewServer(t)
			d, _ := testDeployer(t, f)
			res, err := d.Deploy(context.Background(), tt.in)
			if err == nil || !strings.Contains(err.Error(), tt.want) || res != nil {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
			if got := f.Requests(); len(got) != 0 {
				t.Errorf("AWS was called: %q", got)
			}
		})
	}
}

func TestDeploy_InvalidChangeSetName(t *testing.T) {
	t.Parallel()
	f := cfntest.NewServer(t)
	d, _ := testDeployer(t, f, WithChangeSetNamer(func() string { return "has_underscore" }))
	_, err := d.Deploy(context.Background(), execInput(tmplV1))
	if err == nil || !strings.Contains(err.Error(), `invalid change set name "has_underscore"`) {
		t.Errorf("err = %v", err)
	}
	if got := f.Requests("CreateChangeSet"); len(got) != 0 {
		t.Errorf("CreateChangeSet called: %q", got)
	}
}

func TestParseMode(t *testing.T) {
	t.Parallel()
	for _, m := range []Mode{Preview, Execute} {
		if got, ok := ParseMode(m.String()); !ok || got != m {
			t.Errorf("ParseMode(%q) = %v, %v", m.String(), got, ok)
		}
	}
	if _, ok := ParseMode("apply"); ok {
		t.Error("ParseMode(apply) succeeded")
	}
}

func TestTagsFromMap(t *testing.T) {
	t.Parallel()
	got := TagsFromMap(map[string]string{"stage": "dev", "app": "orders"})
	if len(got) != 2 || got[0] != (Tag{"app", "orders"}) || got[1] != (Tag{"stage", "dev"}) {
		t.Errorf("TagsFromMap = %v", got)
	}
}
