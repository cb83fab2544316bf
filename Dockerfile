# One Dockerfile for the three services: `docker build --build-arg SERVICE=ingest .` (compose sets SERVICE).
# Stage 1 builds every module with Maven; stage 2 is a JRE with just the service's shaded jar.
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY events/pom.xml events/
COPY platform/pom.xml platform/
COPY broker/pom.xml broker/
COPY testkit/pom.xml testkit/
COPY accounts/pom.xml accounts/
COPY identify/pom.xml identify/
COPY ingest/pom.xml ingest/
COPY notify/pom.xml notify/
COPY catalogue/pom.xml catalogue/
COPY launcher/pom.xml launcher/
RUN mvn -B -q dependency:go-offline -DexcludeReactor=true || true
COPY . .
ARG SERVICE
RUN mvn -B -q -pl ${SERVICE} -am package -DskipTests

FROM eclipse-temurin:17-jre
ARG SERVICE
# The jar's name: the service's own, except the launcher's, which is reelcars.jar.
ARG JAR=${SERVICE}
# ingest decodes uploaded clips with the ffmpeg program; the other services do not need it but it is small next
# to OpenCV and keeps one image recipe.
RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/${SERVICE}/target/${JAR}.jar /app/service.jar
# Never root: a fixed unprivileged user owns the data and blob directories (volumes inherit this ownership).
RUN groupadd --system --gid 10001 reelcars && useradd --system --uid 10001 --gid reelcars --no-create-home reelcars \
    && mkdir -p /data /blobs /films /seed-state && chown reelcars:reelcars /data /blobs /films /seed-state
USER 10001:10001
ENV REELCARS_DATA_DIR=/data
VOLUME ["/data"]
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/service.jar"]
