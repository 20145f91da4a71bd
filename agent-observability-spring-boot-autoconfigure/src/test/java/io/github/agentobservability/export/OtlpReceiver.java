package io.github.agentobservability.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * An OTLP/HTTP receiver for tests: a plain HTTP server on loopback that decodes each
 * {@code POST /v1/traces} and {@code POST /v1/metrics} with the real OTLP protobuf
 * classes. It exists so that a test can judge spans and metrics as a backend receives
 * them, after Boot's exporters have turned them into protobuf (attribute types
 * included), rather than the SDK's in-memory copy. The sample application's tests use
 * it too, from this module's test-jar.
 */
public final class OtlpReceiver implements AutoCloseable {

	/** The OTLP/HTTP path for traces. */
	public static final String TRACES = "/v1/traces";

	/** The OTLP/HTTP path for metrics. */
	public static final String METRICS = "/v1/metrics";

	private final HttpServer server;

	private final List<ExportTraceServiceRequest> traceRequests = new CopyOnWriteArrayList<>();

	private final List<ExportMetricsServiceRequest> metricRequests = new CopyOnWriteArrayList<>();

	private OtlpReceiver(HttpServer server) {
		this.server = server;
		receive(TRACES, ExportTraceServiceRequest::parseFrom, this.traceRequests);
		receive(METRICS, ExportMetricsServiceRequest::parseFrom, this.metricRequests);
		this.server.start();
	}

	private <T> void receive(String path, Parser<T> parser, List<T> received) {
		this.server.createContext(path, (exchange) -> {
			try (InputStream body = exchange.getRequestBody()) {
				received.add(parser.parse(body));
			}
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
	}

	/**
	 * Starts a receiver on 127.0.0.1 and a free port.
	 * @return the started receiver
	 */
	public static OtlpReceiver start() {
		return start(0);
	}

	/**
	 * Starts a receiver on 127.0.0.1 and the given port, e.g. that of a backend that
	 * comes back.
	 * @param port the port, {@code 0} for a free one
	 * @return the started receiver
	 */
	public static OtlpReceiver start(int port) {
		try {
			return new OtlpReceiver(
					HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The endpoint for {@code management.opentelemetry.tracing.export.otlp.endpoint}.
	 * @return {@code http://127.0.0.1:PORT/v1/traces}
	 */
	public String tracesUrl() {
		return url(TRACES);
	}

	/**
	 * The endpoint for {@code management.otlp.metrics.export.url}.
	 * @return {@code http://127.0.0.1:PORT/v1/metrics}
	 */
	public String metricsUrl() {
		return url(METRICS);
	}

	private String url(String path) {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + path;
	}

	/**
	 * Every trace export request received so far, in the order received.
	 * @return the decoded requests
	 */
	public List<ExportTraceServiceRequest> traceRequests() {
		return List.copyOf(this.traceRequests);
	}

	/**
	 * Every span received so far, in the order received, across resources and scopes.
	 * @return the decoded spans
	 */
	public List<Span> spans() {
		return this.traceRequests.stream()
			.flatMap((request) -> request.getResourceSpansList().stream())
			.flatMap((resourceSpans) -> resourceSpans.getScopeSpansList().stream())
			.flatMap((scopeSpans) -> scopeSpans.getSpansList().stream())
			.toList();
	}

	/**
	 * Every metric received so far, in the order received (one entry per push of a
	 * meter), across resources and scopes.
	 * @return the decoded metrics
	 */
	public List<Metric> metrics() {
		return this.metricRequests.stream()
			.flatMap((request) -> request.getResourceMetricsList().stream())
			.flatMap((resourceMetrics) -> resourceMetrics.getScopeMetricsList().stream())
			.flatMap((scopeMetrics) -> scopeMetrics.getMetricsList().stream())
			.toList();
	}

	/**
	 * Forgets what was received, so that a test sees only what it caused.
	 */
	public void reset() {
		this.traceRequests.clear();
		this.metricRequests.clear();
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	@FunctionalInterface
	private interface Parser<T> {

		T parse(InputStream body) throws IOException;

	}

}
