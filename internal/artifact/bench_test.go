package artifact_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stream-events/stream-events/internal/artifact"
)

// template1MB is a CloudFormation-like JSON document of about 1 MiB: many
// similar resources, which is what compiled stream templates look like.
func template1MB() []byte {
	var b strings.Builder
	b.WriteString(`{"AWSTemplateFormatVersion":"2010-09-09","Resources":{`)
	for i := 0; b.Len() < 1<<20; i++ {
		fmt.Fprintf(&b, `"Fn%dEventSourceMappingKinesisStream%d":{"Type":"AWS::Lambda::EventSourceMapping","Properties":{"BatchSize":%d,"StartingPosition":"LATEST","FunctionName":{"Fn::GetAtt":["Fn%dLambdaFunction","Arn"]}}},`, i, i, 10+i%90, i)
	}
	b.WriteString(`"End":{"Type":"AWS::CloudFormation::WaitConditionHandle"}}}`)
	return []byte(b.String())
}

func BenchmarkBuildZipAndUpload(b *testing.B) {
	f := newFixture(b)
	tmpl := template1MB()
	b.SetBytes(int64(len(tmpl)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		z, err := artifact.BuildZip([]artifact.File{{Name: "serverless/template.json", Data: tmpl}})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := f.c.Upload(context.Background(), fmt.Sprintf("bench-%d", i), z, 0); err != nil {
			b.Fatal(err)
		}
	}
}
