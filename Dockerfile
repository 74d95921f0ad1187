# syntax=docker/dockerfile:1
# The stream-events GitHub Action and CLI: a static Go binary on a minimal
# base. Build: docker build --build-arg VERSION=v1.2.3 -t stream-events .

ARG GO_VERSION=1.26

# The build stage runs on the builder's own platform and cross-compiles,
# which is much faster than emulating the target under QEMU.
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine AS build
ARG TARGETOS=linux
ARG TARGETARCH=amd64
ARG VERSION=dev
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# Static (no cgo), reproducible paths, no symbol tables, version stamped.
# A test (internal/cli/docker_test.go) builds with exactly these flags.
RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath -ldflags="-s -w -X github.com/stream-events/stream-events/internal/cli.Version=${VERSION}" -o /out/stream-events .

# distroless/static: CA certificates (AWS and GitHub HTTPS) and tzdata, no
# shell, about 2 MB. Its default user is root, and the Action must run as
# root: the runner mounts the workspace and the GITHUB_OUTPUT and
# GITHUB_STEP_SUMMARY files for root and starts the container without
# --user, so a non-root image cannot write them. Hence no USER line. Files
# the Action writes into the workspace are given the workspace's owner.
FROM gcr.io/distroless/static-debian12
COPY --from=build /out/stream-events /usr/local/bin/stream-events
# No WORKDIR: the runner mounts the workspace and sets --workdir itself.
ENTRYPOINT ["/usr/local/bin/stream-events", "action"]
