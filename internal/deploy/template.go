package deploy

import (
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// setTemplate puts the template into in: inline when it fits, otherwise
// uploaded to S3 under a key unique to the change set.
func (r *run) setTemplate(ctx context.Context, in *cloudformation.CreateChangeSetInput, csName string) error {
	if len(r.in.TemplateBody) <= MaxInlineTemplateSize {
		in.TemplateBody = aws.String(string(r.in.TemplateBody))
		return nil
	}
	key := "stream-events/" + r.in.StackName + "/" + csName + ".json"
	r.phase = "upload of the template to s3://" + r.in.S3Bucket + "/" + key
	_, err := r.d.s3.PutObject(ctx, &s3.PutObjectInput{
		Bucket:      aws.String(r.in.S3Bucket),
		Key:         aws.String(key),
		Body:        bytes.NewReader(r.in.TemplateBody),
		ContentType: aws.String("application/json"),
	})
	if err != nil {
		return fmt.Errorf("upload template to s3://%s/%s: %w", r.in.S3Bucket, key, err)
	}
	in.TemplateURL = aws.String(templateURL(r.in.S3Bucket, key, r.d.s3Region))
	r.logf("template is %d bytes; uploaded it to s3://%s/%s", len(r.in.TemplateBody), r.in.S3Bucket, key)
	return nil
}

// templateURL is the HTTPS URL CloudFormation reads the template from.
// Path style, as SAM uses, keeps bucket names with dots valid.
func templateURL(bucket, key, region string) string {
	host := "s3.amazonaws.com"
	if region != "" {
		host = "s3." + region + ".amazonaws.com"
		if strings.HasPrefix(region, "cn-") {
			host += ".cn"
		}
	}
	return "https://" + host + "/" + bucket + "/" + key
}
