package io.github.agentobservability.sample;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.github.agentobservability.export.OtlpReceiver;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An OTLP backend that accepts connections and never answers must not slow the
 * application: the same asks, interleaved, against the same app with and without such a
 * backend have the same median latency. Spans that do not fit the bounded queue are
 * dropped and counted, the log says so once, and export resumes when a real backend
 * comes back on the same port.
 */
@ExtendWith(OutputCaptureExtension.class)
class OtlpBackendDownTests {

	private static final int WARMUP = 40;

	private static final int MEASURED = 120;

	@Test
	void aBlackHoledBackendDoesNotSlowRequestsAndExportResumesWhenItReturns(CapturedOutput output)
			throws Exception {
		try (BlackHole blackHole = new BlackHole()) {
			int otlpPort = blackHole.port();
			ConfigurableApplicationContext withOtlp = start("management.opentelemetry.tracing.export.otlp.endpoint=http://127.0.0.1:"
					+ otlpPort + "/v1/traces", "management.opentelemetry.tracing.export.otlp.timeout=2s",
					"management.opentelemetry.tracing.export.max-queue-size=256",
					"management.opentelemetry.tracing.export.schedule-delay=100ms");
			ConfigurableApplicationContext withoutOtlp = start();
			try {
				int portWith = port(withOtlp);
				int portWithout = port(withoutOtlp);
				for (int i = 0; i < WARMUP; i++) {
					ask(portWith, i);
					ask(portWithout, i);
				}
				long[] latenciesWith = new long[MEASURED];
				long[] latenciesWithout = new long[MEASURED];
				for (int i = 0; i < MEASURED; i++) {
					latenciesWithout[i] = ask(portWithout, i);
					latenciesWith[i] = ask(portWith, i);
				}
				double medianWith = median(latenciesWith) / 1e6;
				double medianWithout = median(latenciesWithout) / 1e6;
				// 10 %, and at least 2 ms of scheduling jitter on a small machine
				assertThat(medianWith).as("median ms with a black-holed OTLP backend vs without")
					.isLessThanOrEqualTo(Math.max(medianWithout * 1.10, medianWithout + 2.0));
				assertThat(blackHole.connections()).isPositive();

				MeterRegistry meters = withOtlp.getBean(MeterRegistry.class);
				double dropped = meters.get("agent.spans.dropped").tag("processor", "otlp").counter().count();
				assertThat(dropped).isPositive();
				assertThat(output.getAll().split("The 'otlp' span processor dropped spans", -1)).hasSize(2);

				blackHole.close();
				OtlpReceiver backend = OtlpReceiver.start(otlpPort);
				try {
					ask(portWith, 0);
					await().atMost(30, TimeUnit.SECONDS).untilAsserted(() -> assertThat(backend.spans()).isNotEmpty());
					assertThat(meters.get("agent.spans.export.failed").tag("processor", "otlp").counter().count())
						.isPositive();
					await().untilAsserted(
							() -> assertThat(output.getAll()).contains("The 'otlp' exporter delivers spans again"));
				}
				finally {
					backend.close();
				}
			}
			finally {
				withOtlp.close();
				withoutOtlp.close();
			}
		}
	}

	@Test
	void aRefusingBackendIsCountedAndLoggedOnceAndRequestsStillSucceed(CapturedOutput output) throws Exception {
		int closedPort;
		try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			closedPort = probe.getLocalPort();
		}
		ConfigurableApplicationContext context = start(
				"management.opentelemetry.tracing.export.otlp.endpoint=http://127.0.0.1:" + closedPort + "/v1/traces",
				"management.opentelemetry.tracing.export.schedule-delay=50ms");
		try {
			for (int i = 0; i < 20; i++) {
				ask(port(context), i);
			}
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			// The OTLP exporter retries a refused batch with backoff before giving up on it.
			await().atMost(60, TimeUnit.SECONDS)
				.untilAsserted(() -> assertThat(
						meters.get("agent.spans.export.failed").tag("processor", "otlp").counter().count())
					.isPositive());
			assertThat(output.getAll().split("The 'otlp' exporter cannot deliver spans", -1)).hasSize(2);
			assertThat(output.getAll()).doesNotContain("Failed to export spans");
		}
		finally {
			context.close();
		}
	}

	private static ConfigurableApplicationContext start(String... properties) {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--spring.ai.model.chat=local",
				"--agent.observability.exporters.console.enabled=false",
				"--agent.observability.exporters.jsonl.enabled=false"));
		Arrays.stream(properties).map((property) -> "--" + property).forEach(args::add);
		return SpringApplication.run(SampleRagApplication.class, args.toArray(String[]::new));
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private static long ask(int port, int i) throws Exception {
		long start = System.nanoTime();
		int status = TestTraces.ask(port, "{\"question\":\"What is tail sampling? " + (i % 7) + "\"}").statusCode();
		long elapsed = System.nanoTime() - start;
		assertThat(status).isEqualTo(200);
		return elapsed;
	}

	private static double median(long[] values) {
		long[] sorted = values.clone();
		Arrays.sort(sorted);
		return (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2.0;
	}

	/**
	 * Accepts connections and never answers, like a backend behind a dead load balancer.
	 */
	static final class BlackHole implements AutoCloseable {

		private final ServerSocket server;

		private final List<Socket> held = new CopyOnWriteArrayList<>();

		private final Thread acceptor;

		BlackHole() throws IOException {
			this.server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
			this.acceptor = new Thread(() -> {
				while (!this.server.isClosed()) {
					try {
						this.held.add(this.server.accept());
					}
					catch (IOException ex) {
						return;
					}
				}
			}, "black-hole");
			this.acceptor.setDaemon(true);
			this.acceptor.start();
		}

		int port() {
			return this.server.getLocalPort();
		}

		int connections() {
			return this.held.size();
		}

		@Override
		public void close() throws IOException {
			this.server.close();
			for (Socket socket : this.held) {
				socket.close();
			}
		}

	}

}
