package io.github.agentobservability.sample;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/**
 * An OTLP/HTTP receiver for tests: a plain HTTP server on loopback that decodes what it
 * receives with the real OTLP protobuf classes.
 *
 * @param <T> the decoded request type, such as {@code ExportTraceServiceRequest}
 */
final class OtlpReceiver<T> implements AutoCloseable {

	private final HttpServer server;

	private final String path;

	private final List<T> received = new CopyOnWriteArrayList<>();

	private OtlpReceiver(int port, String path, Parser<T> parser) {
		this.path = path;
		try {
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.createContext(path, (exchange) -> {
			try (InputStream body = exchange.getRequestBody()) {
				this.received.add(parser.parse(body));
			}
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		this.server.start();
	}

	/**
	 * Starts a receiver on a free port.
	 * @param <T> the decoded request type
	 * @param path the OTLP path, {@code /v1/traces} or {@code /v1/metrics}
	 * @param parser decodes a request body, e.g. {@code ExportTraceServiceRequest::parseFrom}
	 * @return the started receiver
	 */
	static <T> OtlpReceiver<T> start(String path, Parser<T> parser) {
		return start(0, path, parser);
	}

	static <T> OtlpReceiver<T> start(int port, String path, Parser<T> parser) {
		return new OtlpReceiver<>(port, path, parser);
	}

	String url() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + this.path;
	}

	List<T> received() {
		return this.received;
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	@FunctionalInterface
	interface Parser<T> {

		T parse(InputStream body) throws IOException;

	}

}
