package io.github.agentobservability.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * An OTLP/HTTP trace receiver for tests: a plain HTTP server on loopback that decodes
 * each {@code POST /v1/traces} with the real OTLP protobuf classes. It exists so that a
 * test can judge spans as a backend receives them, after Boot's exporter has turned them
 * into protobuf (attribute types included), rather than the SDK's in-memory copy. The
 * sample application has its own receiver for traces and metrics; this module's tests
 * cannot reach it.
 */
public final class OtlpReceiver implements AutoCloseable {

	/** The OTLP/HTTP path for traces. */
	public static final String TRACES = "/v1/traces";

	private final HttpServer server;

	private final List<ExportTraceServiceRequest> received = new CopyOnWriteArrayList<>();

	private OtlpReceiver(HttpServer server) {
		this.server = server;
		this.server.createContext(TRACES, (exchange) -> {
			try (InputStream body = exchange.getRequestBody()) {
				this.received.add(ExportTraceServiceRequest.parseFrom(body));
			}
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		this.server.start();
	}

	/**
	 * Starts a receiver on 127.0.0.1 and a free port.
	 * @return the started receiver
	 */
	public static OtlpReceiver start() {
		try {
			return new OtlpReceiver(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
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
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + TRACES;
	}

	/**
	 * Every span received so far, in the order received, across resources and scopes.
	 * @return the decoded spans
	 */
	public List<Span> spans() {
		return this.received.stream()
			.flatMap((request) -> request.getResourceSpansList().stream())
			.flatMap((resourceSpans) -> resourceSpans.getScopeSpansList().stream())
			.flatMap((scopeSpans) -> scopeSpans.getSpansList().stream())
			.toList();
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
