package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stream-events/stream-events/internal/diag"
)

// corpusDir holds real serverless.yml files (see its INDEX.md); it lives
// outside the repository, so the test skips where it is absent.
const corpusDir = "/work/shared/corpus/real"

// corpusConfigs returns every entry's serverless.yml (or .yaml).
func corpusConfigs(t testing.TB) []string {
	var files []string
	for _, pat := range []string{"*/serverless.yml", "*/serverless.yaml"} {
		m, _ := filepath.Glob(filepath.Join(corpusDir, pat))
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Skip("corpus not present at " + corpusDir)
	}
	return files
}

// TestCorpus lints every real config, unresolved variables and all: it must
// not panic, and the invalid entries named in INDEX.md get the findings a
// reviewer expects.
func TestCorpus(t *testing.T) {
	got := map[string]string{} // entry folder -> findings
	for _, f := range corpusConfigs(t) {
		entry := filepath.Base(filepath.Dir(f))
		t.Run(entry, func(t *testing.T) {
			got[entry] = format(lintFile(t, f))
			t.Log("\n" + got[entry])
		})
	}
	want := map[string][]string{
		// literal ARNs with placeholder region and account; an extra key.
		"003-CoorpAcademy-serverless-plugins-kinesis": {
			`serverless.yml:16:17: arn "arn:aws:kinesis:region:XXXXXX:stream/MyFirstStream" is not a valid Kinesis stream ARN: region "region" is not an AWS region such as us-east-1`,
			`serverless.yml:19:16: arn "arn:aws:kinesis:region:XXXXXX:stream/MySecondStream" is not a valid Kinesis stream ARN`,
			`serverless.yml:25:11: unknown stream property "streamName"; Serverless ignores it`,
		},
		// table ARNs (literal and !GetAtt Table.Arn) where stream ARNs belong.
		"004-CoorpAcademy-serverless-plugins-dynamodb-streams": {
			`serverless.yml:16:17: "arn:aws:dynamodb:region:XXXXXX:table/MyFirstTable" is a DynamoDB table ARN; a stream event needs the table's stream ARN`,
			`serverless.yml:19:16: "arn:aws:dynamodb:region:XXXXXX:table/MySecondTable" is a DynamoDB table ARN`,
			`serverless.yml:25:11: unknown stream property "tableName"; Serverless ignores it`,
			`serverless.yml:30:13: !GetAtt MyThirdTable.Arn is the table's ARN, not its stream's; use !GetAtt MyThirdTable.StreamArn`,
			`serverless.yml:39:13: !GetAtt MyFourthTable.Arn is the table's ARN, not its stream's; use !GetAtt MyFourthTable.StreamArn`,
		},
		// written for serverless-offline-dynamodb-streams: no arn at all.
		"006-adalbertorsilva-dynamodb-stream-to-elasticsearch": {
			`serverless.yml:20:9: stream event has no arn; set arn to the stream's ARN`,
			`serverless.yml:24:11: unknown stream property "tableName"; Serverless ignores it`,
		},
		// a placeholder left in place of the ARN.
		"025-twkiiim-ddb-stream-to-es-example": {
			`serverless.yml:17:16: arn "YOUR_DDB_STREAM_ARN" is not an ARN; it must start with "arn:"`,
		},
		"044-hyunsung-kim-dynamodb-stream-js-example": {
			`serverless.yml:67:9: stream event has no arn`,
			`serverless.yml:71:11: unknown stream property "tableName"`,
		},
		// placeholder ARNs in entries INDEX.md lists as ordinary: they
		// cannot deploy either.
		"010-jgilbert01-convivio-basic": {
			`serverless.yml:41:16: arn "arn:aws:kinesis:region:XXXXXX:stream/foobar" is not a valid Kinesis stream ARN: region "region" is not an AWS region`,
		},
		"033-serverless-examples-aws-golang-stream-kinesis-to-elasticsearch": {
			`serverless.yml:18:16: arn "arn:aws:kinesis:<region>:<accountID>:stream/<streamname>" is not a valid Kinesis stream ARN`,
		},
		// three functions on TweetsTable's stream.
		"017-theburningmonk-appsyncmasterclass-backend": {
			`this DynamoDB stream is read by 3 functions`,
		},
	}
	for entry, lines := range want {
		out, ok := got[entry]
		if !ok {
			t.Errorf("%s: entry missing from the corpus", entry)
			continue
		}
		for _, l := range lines {
			if !strings.Contains(out, l) {
				t.Errorf("%s: want a finding containing\n  %s\ngot:\n%s", entry, l, out)
			}
		}
	}
}

// TestCorpusValidEntriesHaveNoErrors guards against false positives: the
// entries INDEX.md does not name as invalid get no error-severity finding.
func TestCorpusValidEntriesHaveNoErrors(t *testing.T) {
	invalid := []string{"003-", "004-", "006-", "025-", "044-", "010-", "033-"}
	for _, f := range corpusConfigs(t) {
		entry := filepath.Base(filepath.Dir(f))
		if hasAnyPrefix(entry, invalid) {
			continue
		}
		// What Serverless itself warned about when it packaged the entry
		// (testdata/corpus/<entry>/stderr.txt) is a real schema problem.
		warned, _ := os.ReadFile(filepath.Join("..", "..", "testdata", "corpus", entry, "stderr.txt"))
		for _, fd := range lintFile(t, f) {
			if fd.Rule == ruleSchemaUnknownKey.ID && unknownKeyWarned(string(warned), fd.Message) {
				continue
			}
			if fd.Severity == diag.Error {
				t.Errorf("%s: unexpected error %s", entry, fd)
			}
		}
	}
}

// unknownKeyWarned reports Serverless's "unrecognized property 'k'" warning
// for the key a schema-unknown-key message names.
func unknownKeyWarned(stderr, msg string) bool {
	_, rest, ok := strings.Cut(msg, "property \"")
	key, _, ok2 := strings.Cut(rest, "\"")
	return ok && ok2 && strings.Contains(stderr, "unrecognized property '"+key+"'")
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
