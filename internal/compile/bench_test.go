package compile

import (
	"io"
	"strings"
	"testing"

	"github.com/stream-events/stream-events/internal/benchsvc"
	"github.com/stream-events/stream-events/internal/node"
	"github.com/stream-events/stream-events/internal/yamlsrc"
)

// benchService is the benchmarks' service (benchsvc.Service) with its
// variables already resolved: n functions of 4 stream events each (DynamoDB
// with filters and a destination, Kinesis with a consumer, a plain Kinesis
// ARN, a !GetAtt DynamoDB stream).
func benchService(b *testing.B, n int) *node.Node {
	b.Helper()
	resolved := strings.NewReplacer("${aws:region}", "eu-west-1", "${self:custom.account}", "123456789012",
		"${self:custom.dlq}", "arn:aws:sqs:eu-west-1:123456789012:dlq", "${sls:stage}", "dev").Replace(string(benchsvc.Service(n)))
	if strings.Contains(resolved, "${") {
		b.Fatal("a variable of benchsvc.Service is left unresolved")
	}

	root, fs := yamlsrc.Parse("serverless.yml", []byte(resolved))
	if fs.HasErrors() {
		b.Fatal(fs)
	}
	return root
}

// serverlessTemplate is what compile --mode serverless does after loading.
func serverlessTemplate(b *testing.B, root *node.Node) *node.Node {
	svc, fs := Load(root, "dev", "eu-west-1")
	res := Compile(svc)
	tpl, mf := ServerlessTemplate(res, nil)
	if fs = append(append(fs, res.Findings...), mf...); fs.HasErrors() || tpl == nil {
		b.Fatal(fs)
	}
	return tpl
}

// BenchmarkServerless measures Load, Compile and ServerlessTemplate of 1000
// functions (4000 mappings, 1000 consumers), parsing excluded.
func BenchmarkServerless(b *testing.B) {
	root := benchService(b, 1000)
	b.ReportAllocs()
	for b.Loop() {
		serverlessTemplate(b, root)
	}
}

// BenchmarkServerlessEncode adds the encoding of the template, streamed
// as compile writes it to its output.
func BenchmarkServerlessEncode(b *testing.B) {
	root := benchService(b, 1000)
	b.ReportAllocs()
	for b.Loop() {
		if err := serverlessTemplate(b, root).WriteIndent(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStandalone measures the standalone template of 100 functions
// (the most a standalone stack holds within CloudFormation's quota is
// fewer; standalone refuses more, after compiling them).
func BenchmarkStandalone(b *testing.B) {
	root := benchService(b, 1000)
	b.ReportAllocs()
	for b.Loop() {
		svc, _ := Load(root, "dev", "eu-west-1")
		res := Compile(svc)
		Standalone(res, StandaloneOptions{})
	}
}
