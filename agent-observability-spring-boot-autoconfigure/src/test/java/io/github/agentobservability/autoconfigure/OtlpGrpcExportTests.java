package io.github.agentobservability.autoconfigure;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.agentobservability.tracing.TracingContextRunners;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import okhttp3.Protocol;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Boot's OTLP exporter over gRPC, with the starter's resource, against an HTTP/2 server
 * that answers like an OTLP gRPC receiver. gRPC needs a gRPC-capable sender (here
 * OpenTelemetry's okhttp sender); the starter itself ships only the JDK HTTP sender.
 */
class OtlpGrpcExportTests {

	private final MockWebServer receiver = new MockWebServer();

	@BeforeEach
	void start() throws Exception {
		this.receiver.setProtocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE));
		this.receiver.enqueue(new MockResponse.Builder().code(200)
			.addHeader("content-type", "application/grpc")
			.body(new Buffer().writeByte(0).writeInt(0))
			.trailers(Headers.of("grpc-status", "0"))
			.build());
		this.receiver.start();
	}

	@AfterEach
	void stop() throws Exception {
		this.receiver.close();
	}

	@Test
	void spansAreExportedOverGrpcWithTheServiceResource() {
		TracingContextRunners.tracing()
			.withConfiguration(AutoConfigurations.of(OtlpTracingAutoConfiguration.class))
			.withPropertyValues("management.opentelemetry.tracing.export.otlp.transport=grpc",
					"management.opentelemetry.tracing.export.otlp.endpoint=http://127.0.0.1:" + this.receiver.getPort(),
					"agent.observability.environment=grpc-test")
			.run((context) -> {
				assertThat(context).hasSingleBean(OtlpGrpcSpanExporter.class);
				context.getBean(SdkTracerProvider.class).get("test").spanBuilder("over-grpc").startSpan().end();
				context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS);
				RecordedRequest request = this.receiver.takeRequest(10, TimeUnit.SECONDS);
				assertThat(request).isNotNull();
				assertThat(request.getUrl().encodedPath())
					.isEqualTo("/opentelemetry.proto.collector.trace.v1.TraceService/Export");
				Buffer body = new Buffer().write(request.getBody());
				body.readByte();
				int length = body.readInt();
				ExportTraceServiceRequest export = ExportTraceServiceRequest.parseFrom(body.readByteArray(length));
				var resourceSpans = export.getResourceSpans(0);
				assertThat(resourceSpans.getScopeSpans(0).getSpans(0).getName()).isEqualTo("over-grpc");
				assertThat(resourceSpans.getResource().getAttributesList())
					.anySatisfy((attribute) -> {
						assertThat(attribute.getKey()).isEqualTo("deployment.environment.name");
						assertThat(attribute.getValue().getStringValue()).isEqualTo("grpc-test");
					});
			});
	}

}
