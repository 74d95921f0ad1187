// Package artifact uploads a zip as a GitHub Actions artifact through the
// v4 artifact protocol that actions/upload-artifact@v4+ uses: twirp JSON
// calls to the results service (CreateArtifact, FinalizeArtifact) around an
// Azure block-blob upload to a signed URL. It also builds deterministic zips.
//
// The package reads no environment: the caller passes ACTIONS_RESULTS_URL,
// ACTIONS_RUNTIME_TOKEN and GITHUB_SERVER_URL in Config. No error it returns
// contains the runtime token or the upload URL's signature.
//
// Protocol reference: actions/toolkit packages/artifact/src/internal/
// (shared/artifact-twirp-client.ts, shared/util.ts, upload/upload-artifact.ts,
// upload/blob-upload.ts).
package artifact

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/stream-events/stream-events/internal/clock"
)

// artifactVersion is the CreateArtifact version field. 4 is what the
// upload-artifact@v4 client sends for a zip; 7 only adds unzipped uploads.
const artifactVersion = 4

// Config configures a Client. ResultsURL and RuntimeToken are required; the
// rest have defaults.
type Config struct {
	// ResultsURL is ACTIONS_RESULTS_URL. Only its origin is used, as in
	// @actions/artifact.
	ResultsURL string
	// RuntimeToken is ACTIONS_RUNTIME_TOKEN, a JWT whose scp claim names the
	// run and job. It is sent only to ResultsURL.
	RuntimeToken string
	// ServerURL is GITHUB_SERVER_URL, optional. A GitHub Enterprise Server
	// host makes New fail with ErrUnavailable: GHES has no v4 artifacts.
	ServerURL string
	// HTTPClient defaults to a client with a 5-minute timeout per request.
	HTTPClient *http.Client
	// Retry bounds retries of each request.
	Retry RetryPolicy
	// Sleep waits between retries; it must return ctx.Err() if ctx ends
	// first. Tests inject a fast one. Defaults to a timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now gives the time retention is counted from. Defaults to time.Now.
	Now func() time.Time
	// BlockSize is the blob block size in bytes (default 8 MiB).
	BlockSize int
	// UserAgent defaults to "stream-events".
	UserAgent string
	// Mask, if set, receives the upload URL's signature as soon as it is
	// known, so the caller can register it with ::add-mask::.
	Mask func(secret string)
}

// Client uploads artifacts for one workflow job. It is safe for concurrent
// use.
type Client struct {
	origin    string
	token     string
	ids       backendIDs
	http      *http.Client
	policy    RetryPolicy
	sleep     func(context.Context, time.Duration) error
	now       func() time.Time
	blockSize int
	userAgent string
	mask      func(string)
	redact    *redactor
}

// New checks cfg and returns a Client. It fails with an error for which
// IsUnavailable is true when uploads cannot work here: empty ResultsURL or
// RuntimeToken, a GHES ServerURL (ErrUnavailable), or a token without backend
// ids (ErrNoBackendIDs).
func New(cfg Config) (*Client, error) {
	if cfg.ResultsURL == "" || cfg.RuntimeToken == "" {
		return nil, fmt.Errorf("%w: ACTIONS_RESULTS_URL or ACTIONS_RUNTIME_TOKEN is not set (local run, or a runner older than v2.308.0?)", ErrUnavailable)
	}
	if IsGHES(cfg.ServerURL) {
		return nil, fmt.Errorf("%w: GitHub Enterprise Server does not support v4 artifacts", ErrUnavailable)
	}
	origin, err := originOf(cfg.ResultsURL)
	if err != nil {
		return nil, err
	}
	ids, err := backendIDsFromToken(cfg.RuntimeToken)
	if err != nil {
		return nil, err
	}
	r := &redactor{}
	r.add(cfg.RuntimeToken)
	c := &Client{
		origin: origin, token: cfg.RuntimeToken, ids: ids,
		http:      cfg.HTTPClient,
		policy:    cfg.Retry.withDefaults(),
		sleep:     cfg.Sleep,
		now:       cfg.Now,
		blockSize: cfg.BlockSize,
		userAgent: cmpOr(cfg.UserAgent, "stream-events"),
		mask:      cfg.Mask,
		redact:    r,
	}
	c.setDefaults()
	return c, nil
}

func (c *Client) setDefaults() {
	if c.http == nil {
		c.http = &http.Client{Timeout: 5 * time.Minute}
	}
	if c.sleep == nil {
		c.sleep = clock.Sleep
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.blockSize <= 0 {
		c.blockSize = defaultBlockSize
	}
}

// originOf returns scheme://host of ACTIONS_RESULTS_URL. The value is not
// secret, but it is not quoted either: it is an environment detail.
func originOf(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", errors.New("ACTIONS_RESULTS_URL is not an http(s) URL")
	}
	return u.Scheme + "://" + u.Host, nil
}

// IsGHES reports whether serverURL (GITHUB_SERVER_URL) is a GitHub Enterprise
// Server host, using @actions/artifact's rule: anything but github.com,
// *.ghe.com (data residency) and *.localhost. Empty means github.com.
func IsGHES(serverURL string) bool {
	if serverURL == "" {
		return false
	}
	u, err := url.Parse(serverURL)
	if err != nil {
		return false
	}
	host := strings.ToLower(strings.TrimSpace(u.Hostname()))
	return host != "github.com" && !strings.HasSuffix(host, ".ghe.com") && !strings.HasSuffix(host, ".localhost")
}

// Result describes an uploaded artifact.
type Result struct {
	// ID is the artifact id from FinalizeArtifact; 0 if the service sent none.
	ID int64
	// Size is the number of zip bytes uploaded.
	Size int64
	// SHA256 is the lower-case hex digest of the zip (the artifact-digest
	// output of upload-artifact), without the "sha256:" prefix.
	SHA256 string
}

// Upload stores zip as the artifact name of this job. retentionDays > 0 sets
// the expiry (the caller clamps it to GITHUB_RETENTION_DAYS); 0 keeps the
// repository default. Errors name the failing step: create artifact, upload
// blob or finalize artifact.
func (c *Client) Upload(ctx context.Context, name string, zip []byte, retentionDays int) (Result, error) {
	if err := checkUpload(name, zip, retentionDays); err != nil {
		return Result{}, err
	}
	signedURL, err := c.create(ctx, name, retentionDays)
	if err != nil {
		return Result{}, c.fail("create artifact", name, err)
	}
	// From here on the signature is a secret too.
	u := c.withSecret(signature(signedURL))
	if err := u.uploadBlob(ctx, signedURL, zip); err != nil {
		return Result{}, u.fail("upload blob for artifact", name, err)
	}
	sum := sha256.Sum256(zip)
	res := Result{Size: int64(len(zip)), SHA256: hex.EncodeToString(sum[:])}
	if res.ID, err = u.finalize(ctx, name, res); err != nil {
		return Result{}, u.fail("finalize artifact", name, err)
	}
	return res, nil
}

// withSecret returns a copy of c whose errors also redact secret, after
// handing it to Config.Mask. The copy is per upload: c stays shareable.
func (c *Client) withSecret(secret string) *Client {
	if secret == "" {
		return c
	}
	if c.mask != nil {
		c.mask(secret)
	}
	u := *c
	u.redact = c.redact.clone()
	u.redact.add(secret)
	return &u
}

// fail names the step and passes the whole message through the redactor.
func (c *Client) fail(step, name string, err error) error {
	return &redactedError{err: fmt.Errorf("%s %q: %w", step, name, err), r: c.redact}
}

func checkUpload(name string, zip []byte, retentionDays int) error {
	if err := ValidateName(name); err != nil {
		return err
	}
	if len(zip) == 0 {
		return errors.New("artifact zip is empty")
	}
	if retentionDays < 0 {
		return fmt.Errorf("retention days %d is negative", retentionDays)
	}
	return nil
}

func (c *Client) create(ctx context.Context, name string, retentionDays int) (string, error) {
	in := createRequest{RunID: c.ids.run, JobID: c.ids.job, Name: name, Version: artifactVersion}
	if retentionDays > 0 {
		in.ExpiresAt = c.now().AddDate(0, 0, retentionDays).UTC().Format(time.RFC3339)
	}
	var out createResponse
	if err := c.call(ctx, "CreateArtifact", in, &out); err != nil {
		return "", err
	}
	if !out.OK {
		return "", ErrRefused
	}
	if out.signedURL() == "" {
		return "", errors.New("response has no signed upload URL")
	}
	return out.signedURL(), nil
}

func (c *Client) finalize(ctx context.Context, name string, res Result) (int64, error) {
	in := finalizeRequest{
		RunID: c.ids.run, JobID: c.ids.job, Name: name,
		Size: strconv.FormatInt(res.Size, 10),
		Hash: "sha256:" + res.SHA256,
	}
	var out finalizeResponse
	if err := c.call(ctx, "FinalizeArtifact", in, &out); err != nil {
		return 0, err
	}
	if !out.OK {
		return 0, ErrRefused
	}
	return out.artifactID(), nil
}

// URL returns the artifact's page, as upload-artifact's artifact-url output:
// {GITHUB_SERVER_URL}/{GITHUB_REPOSITORY}/actions/runs/{GITHUB_RUN_ID}/artifacts/{id}.
func URL(serverURL, repository, runID string, id int64) string {
	return fmt.Sprintf("%s/%s/actions/runs/%s/artifacts/%d", strings.TrimSuffix(serverURL, "/"), repository, runID, id)
}
