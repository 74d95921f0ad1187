package compile

import (
	"slices"
	"testing"

	"github.com/stream-events/stream-events/internal/yamlsrc"
)

func TestExtendResource(t *testing.T) {
	const resource = `{Type: X, DependsOn: [Role], Properties: {BatchSize: 10, Enabled: true}}`
	for name, c := range map[string]struct {
		resource, ext, want string
	}{
		"properties are assigned: a key keeps its place, a new one goes last": {
			ext:  `{Properties: {Enabled: false, Tags: [{Key: a, Value: b}]}}`,
			want: `{"Type":"X","DependsOn":["Role"],"Properties":{"BatchSize":10,"Enabled":false,"Tags":[{"Key":"a","Value":"b"}]}}`,
		},
		"a null property is stripped, as stripNullPropsFromTemplateResources does": {
			ext:  `{Properties: {Enabled: null}}`,
			want: `{"Type":"X","DependsOn":["Role"],"Properties":{"BatchSize":10}}`,
		},
		"DependsOn is appended to; a string is a one-item list": {
			ext:  `{DependsOn: Queue}`,
			want: `{"Type":"X","DependsOn":["Role","Queue"],"Properties":{"BatchSize":10,"Enabled":true}}`,
		},
		"a resource without DependsOn gets one, last": {
			resource: `{Type: X, Properties: {A: 1}}`,
			ext:      `{DependsOn: [Q1, Q2]}`,
			want:     `{"Type":"X","Properties":{"A":1},"DependsOn":["Q1","Q2"]}`,
		},
		"policies replace, string-typed ones coerced by the schema": {
			ext:  `{DeletionPolicy: Retain, Condition: 5, UpdateReplacePolicy: [Retain], Metadata: {a: 1}}`,
			want: `{"Type":"X","DependsOn":["Role"],"Properties":{"BatchSize":10,"Enabled":true},"DeletionPolicy":"Retain","Condition":"5","UpdateReplacePolicy":"Retain","Metadata":{"a":1}}`,
		},
		"null attributes come last, as Serverless's validation round trip leaves them (case 204)": {
			ext:  `{Properties: ~, Metadata: ~, DeletionPolicy: Retain}`,
			want: `{"Type":"X","DependsOn":["Role"],"Properties":{"BatchSize":10,"Enabled":true},"DeletionPolicy":"Retain","Metadata":{}}`,
		},
	} {
		t.Run(name, func(t *testing.T) {
			src := c.resource
			if src == "" {
				src = resource
			}
			res, _ := yamlsrc.Parse("r.yml", []byte(src))
			ext, _ := yamlsrc.Parse("e.yml", []byte(c.ext))
			before := res.Stringify()
			if got := extendResource(res, ext).Stringify(); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
			if res.Stringify() != before {
				t.Errorf("the compiled resource was changed in place")
			}
		})
	}
}

func TestUnsupportedExtensions(t *testing.T) {
	ext, _ := yamlsrc.Parse("e.yml", []byte("A: {Properties: {}, Type: X}\nB: {DeletionPolicy: Retain}\n"))
	fs := unsupportedExtensions(ext)
	if len(fs) != 1 || fs[0].Range.Start.Line != 1 || fs[0].Range.Start.Col != 21 {
		t.Fatalf("want one finding at 1:21, got %v", fs)
	}
}

// TestMissingExtended: an extension of a resource the template lacks stops
// Serverless (RESOURCE_EXTENSION_NOT_EXISTING); without a base template only
// stream-compiler IDs can be known to be missing.
func TestMissingExtended(t *testing.T) {
	ext, _ := yamlsrc.Parse("e.yml", []byte("ReaderEventSourceMappingKinesisClick: {}\nReaderLambdaFunction: {}\nReaderclicksConsumerStreamConsumer: {}\n"))
	compiled := map[string]bool{"ReaderclicksConsumerStreamConsumer": true}
	for _, c := range []struct {
		name   string
		exists func(string) bool
		lines  []int
	}{
		{"no base", func(id string) bool { return compiled[id] || !streamResourceID.MatchString(id) }, []int{1}},
		{"base", func(id string) bool { return compiled[id] }, []int{1, 2}},
	} {
		fs := missingExtended(ext, c.exists)
		var lines []int
		for _, f := range fs {
			lines = append(lines, f.Range.Start.Line)
		}
		if !slices.Equal(lines, c.lines) {
			t.Errorf("%s: findings on lines %v, want %v: %v", c.name, lines, c.lines, fs)
		}
	}
}
