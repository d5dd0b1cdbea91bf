# Cairn's runtime images. Build the jars first, then a target:
#
#   mvn -B package -DskipTests
#   docker build --target operator    -t cairn-operator:0.1.0 .
#   docker build --target task-runner -t cairn-task-runner:0.1.0 .
#
# These names are the chart's defaults (image.repository, runnerImage.repository; the tag is the
# chart's appVersion): load them into a local cluster's nodes as they are, or prefix them with
# your registry, push them, and set those values.
#
# BASE_IMAGE is any image with a Java 17 runtime on PATH (`java`) and a POSIX shell.
# Where no registry can be reached, build one from Debian packages (.ci/setup does) and pass
# --build-arg BASE_IMAGE=local/cairn-jre:17.
ARG BASE_IMAGE=eclipse-temurin:17-jre

# Shared by both images: an unprivileged user with a fixed numeric id (1000), so that
# Kubernetes' runAsNonRoot can verify it, and /opt/cairn owned by root (read-only to the process).
FROM ${BASE_IMAGE} AS runtime
USER 0
RUN set -eu; \
    if ! getent group 1000 >/dev/null; then groupadd --gid 1000 cairn; fi; \
    if ! getent passwd 1000 >/dev/null; then \
      useradd --uid 1000 --gid 1000 --home-dir /home/cairn --create-home --shell /usr/sbin/nologin cairn; \
    fi; \
    mkdir -p /opt/cairn/lib /opt/cairn/functions; \
    java -version
# No JAVA_TOOL_OPTIONS: the JVM would announce it on stderr, which becomes a failing task's
# error message. The JVM sizes its heap from the container's memory limit by itself.
ENV HOME=/tmp
WORKDIR /opt/cairn

# The task runner: init container (fetch), upload sidecar, and the main container of function
# tasks. It is also the base for users' own function images:
#
#   FROM cairn-task-runner:0.1.0
#   COPY target/my-functions.jar /opt/cairn/functions/
FROM runtime AS task-runner
COPY task-runner/target/cairn-task-runner.jar /opt/cairn/task-runner.jar
# Class-data sharing: every task pod starts up to three JVMs on this jar, and an archive of the
# classes they load cuts their start-up (see docs/task-runner.md). Pods run the runner with the
# options of dev.cairn.core.task.RunnerJvm, among them
# -XX:SharedArchiveFile=/opt/cairn/task-runner.jsa; without a usable archive the JVM only starts
# slower. The second command fails the build unless the JVM maps the archive (-Xshare:on), so an
# image never ships one that pods would silently ignore.
RUN java -XX:ArchiveClassesAtExit=/opt/cairn/task-runner.jsa -jar /opt/cairn/task-runner.jar warmup \
    && java -Xshare:on -XX:SharedArchiveFile=/opt/cairn/task-runner.jsa \
         -jar /opt/cairn/task-runner.jar --version \
    && chmod 0444 /opt/cairn/task-runner.jsa
USER 1000:1000
ENTRYPOINT ["java", "-jar", "/opt/cairn/task-runner.jar"]

# The operator: a thin jar with its dependencies in lib/ (layers change less often that way).
FROM runtime AS operator
COPY operator/target/lib/ /opt/cairn/lib/
COPY operator/target/cairn-operator.jar /opt/cairn/cairn-operator.jar
USER 1000:1000
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/opt/cairn/cairn-operator.jar"]

# Users' functions: the runner image plus their jars in /opt/cairn/functions/. This target is the
# example, with Cairn's own examples (the e2e tests run examples/*.yaml in it):
#
#   docker build --target examples -t cairn-examples:0.1.0 .
FROM task-runner AS examples
COPY examples/target/cairn-examples.jar /opt/cairn/functions/cairn-examples.jar
# The SDK examples return the SDK's types (continuations): the SDK and the client API it names.
COPY sdk/target/cairn-sdk-*.jar client/target/cairn-client-*.jar /opt/cairn/functions/
