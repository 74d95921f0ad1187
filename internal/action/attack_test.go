package action

import (
	"encoding/base64"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stream-events/stream-events/internal/exit"
)

// TestAction_NeverReadsGitCredentials: actions/checkout leaves the job's
// token in .git/config, base64-encoded, where a pull request's
// ${file(.git/config)} could copy it into the template, the summary and the
// artifact, one character at a time so that no redaction sees it. The
// .git directory is never read, through a link neither.
func TestAction_NeverReadsGitCredentials(t *testing.T) {
	t.Parallel()
	const token = "ghs_16C7e42F292c6912E7710c838347Ae178B4a"
	header := base64.StdEncoding.EncodeToString([]byte("x-access-token:" + token))
	var chars []string
	for i := 40; i < 140; i++ {
		chars = append(chars, fmt.Sprintf("${file(%%s):%d}", i))
	}
	spelt := strings.Join(chars, ".")
	orders := caseConfig(t, "01-dynamodb-literal-minimal")
	for _, c := range []struct{ name, file string }{
		{"the file itself", ".git/config"},
		{"a link to it", "git.txt"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			h := newHostile(t)
			h.write(t, ".git/config", "[http \"https://github.com/\"]\n\textraheader = AUTHORIZATION: basic "+header+"\n")
			h.link(t, ".git/config", "git.txt")
			arn := "arn:aws:dynamodb:us-east-1:123456789012:table/Orders/stream/2024-01-01T00:00:00.000"
			h.write(t, "serverless.yml", strings.Replace(orders, arn,
				`"`+arn+"-"+strings.ReplaceAll(spelt, "%s", c.file)+`"`, 1)+
				"custom:\n  whole: ${file("+c.file+")}\n")
			h.env["INPUT_GITHUB-TOKEN"] = token

			code, log := h.run(t)

			if code != exit.Findings || !strings.Contains(log, "inside a .git directory") {
				t.Errorf("exit %d, want %d and a finding on the read\n%s", code, exit.Findings, log)
			}
			places := map[string]string{"log": log, "summary": readFile(t, h.env["GITHUB_STEP_SUMMARY"]),
				"outputs": readFile(t, h.env["GITHUB_OUTPUT"])}
			_ = filepath.WalkDir(filepath.Join(h.ws, ".stream-events"), func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					places[p] = readFile(t, p)
				}
				return nil
			})
			for where, data := range places {
				flat := strings.NewReplacer(".", "", "\\", "", "\n", "").Replace(data)
				if strings.Contains(flat, header[:24]) || strings.Contains(data, "extraheader") {
					t.Errorf("%s holds the checkout's token", where)
				}
			}
		})
	}
}
