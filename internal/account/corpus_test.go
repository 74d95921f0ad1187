package account

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/stream-events/stream-events/internal/deploy"
	"github.com/stream-events/stream-events/internal/files"
	"github.com/stream-events/stream-events/internal/mototest"
	"github.com/stream-events/stream-events/internal/node"
	"github.com/stream-events/stream-events/internal/pipeline"
)

// TestCorpus_ValuesFromServerlessStack measures issue 9 over the real
// configs: of those that compile standalone with parameters, how many get
// every value from their Serverless stack, once that stack exists in moto
// (made from the config's resources.Resources). It reports; it fails only
// when a config that used to fill every value no longer does.
func TestCorpus_ValuesFromServerlessStack(t *testing.T) {
	const corpus = "/work/shared/corpus/real"
	configs, _ := filepath.Glob(filepath.Join(corpus, "*", "serverless.y*ml"))
	if len(configs) == 0 {
		t.Skip("corpus not present")
	}
	url := mototest.URL(t)
	cfg := aws.Config{Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", ""),
		Retryer: func() aws.Retryer { return aws.NopRetryer{} }, BaseEndpoint: aws.String(url)}
	cfn := cloudformation.NewFromConfig(cfg)
	r := &Reader{cfn: cfn, ddb: dynamodb.NewFromConfig(cfg), iam: iam.NewFromConfig(cfg), region: "us-east-1"}
	d := deploy.New(cfn, deploy.WithPollDelays(5*time.Millisecond, 50*time.Millisecond, 1.5))
	var standalone, needing, filled int
	var notes []string
	for i, path := range configs {
		entry := filepath.Base(filepath.Dir(path))
		getenv := func(string) (string, bool) { return "", false }
		dir := files.InDir(files.OS{}, getenv, filepath.Dir(path))
		lc, err := pipeline.Load(context.Background(), pipeline.Request{Config: filepath.Base(path), Region: "us-east-1",
			Opts: pipeline.NewKeyValues("--opt"), Params: pipeline.NewKeyValues("--param"), Getenv: getenv, Files: dir}, "", nil)
		if err != nil {
			continue
		}
		tpl, _, err := pipeline.StandaloneTemplate(lc, "")
		if err != nil || tpl == nil {
			continue
		}
		standalone++
		if len(tpl.Result.Parameters) == 0 {
			continue
		}
		needing++
		stack := fmt.Sprintf("corpus%d-%d", i, time.Now().UnixNano()%1e6)
		res := lc.Root.Path("resources", "Resources")
		body := node.NewMap(res.Range)
		body.Set("Resources", res)
		if _, err := d.Deploy(context.Background(), deploy.Input{StackName: stack, TemplateBody: body.Indent(), Mode: deploy.Execute}); err != nil {
			notes = append(notes, fmt.Sprintf("%s: moto cannot create its Serverless stack: %s", entry, firstLine(err.Error())))
			continue
		}
		fs, err := tpl.Resolve(context.Background(), pipeline.NewKeyValues("--parameter"), "--parameter", stack, r)
		switch {
		case err != nil:
			notes = append(notes, fmt.Sprintf("%s: %v", entry, err))
		case len(fs) > 0:
			notes = append(notes, fmt.Sprintf("%s: %s", entry, fs[0].Message))
		default:
			filled++
		}
	}
	sort.Strings(notes)
	t.Logf("%d configs compile standalone; %d need parameter values; %d get all of them from their Serverless stack in moto\n%s",
		standalone, needing, filled, strings.Join(notes, "\n"))
	if os.Getenv("CORPUS_STRICT") != "" && filled < needing {
		t.Errorf("%d of %d filled", filled, needing)
	}
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}
