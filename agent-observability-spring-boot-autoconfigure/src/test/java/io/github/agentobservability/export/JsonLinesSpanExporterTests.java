package io.github.agentobservability.export;

import io.github.agentobservability.export.internal.SpanJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link JsonLinesSpanExporter}.
 */
@ExtendWith(OutputCaptureExtension.class)
class JsonLinesSpanExporterTests {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private static final long MAX_FILE_SIZE = 10 * 1024;

	@TempDir
	private Path directory;

	private final List<AutoCloseable> closeables = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
	}

	@Test
	void writesOneParseableLinePerSpan() throws IOException {
		Path file = this.directory.resolve("agent-traces.jsonl");
		Tracer tracer = tracer(SimpleSpanProcessor.create(exporter(file, MAX_FILE_SIZE, 3)));
		tracer.spanBuilder("first").startSpan().end();
		tracer.spanBuilder("second").startSpan().end();
		assertThat(lines(file)).extracting((line) -> line.get("name").stringValue())
			.containsExactly("first", "second");
	}

	@Test
	void createsMissingParentDirectories() {
		Path file = this.directory.resolve("logs/traces/agent-traces.jsonl");
		exporter(file, MAX_FILE_SIZE, 3);
		assertThat(file).exists();
	}

	@Test
	void appendsToAnExistingFile() throws IOException {
		Path file = this.directory.resolve("agent-traces.jsonl");
		Files.writeString(file, "{\"name\":\"previous run\"}\n");
		Tracer tracer = tracer(SimpleSpanProcessor.create(exporter(file, MAX_FILE_SIZE, 3)));
		tracer.spanBuilder("this run").startSpan().end();
		assertThat(lines(file)).extracting((line) -> line.get("name").stringValue())
			.containsExactly("previous run", "this run");
	}

	@Test
	void endsAPartialLastLineLeftByAPreviousRunBeforeAppending() throws IOException {
		Path file = this.directory.resolve("agent-traces.jsonl");
		Files.writeString(file, "{\"name\":\"previous run\"}\n{\"name\":\"torn");
		Tracer tracer = tracer(SimpleSpanProcessor.create(exporter(file, MAX_FILE_SIZE, 3)));
		tracer.spanBuilder("this run").startSpan().end();
		List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
		assertThat(lines).hasSize(3);
		assertThat(mapper.readTree(lines.get(2)).get("name").stringValue()).isEqualTo("this run");
	}

	@Test
	void hostileStringsStillProduceParseableLines() throws IOException {
		Path file = this.directory.resolve("agent-traces.jsonl");
		Tracer tracer = tracer(SimpleSpanProcessor.create(exporter(file, 100 * 1024 * 1024, 3)));
		List<String> hostile = List.of("control \u0000\u0001\u001f\n\r\t chars", "lone \uD800 high", "lone \uDC00 low",
				"ends with high \uD83D", "pair \uD83D\uDE00 ok", "quote \" and backslash \\ and \\\"",
				"x".repeat(1024 * 1024));
		for (String value : hostile) {
			tracer.spanBuilder(value).setAttribute("value", value).startSpan().end();
		}
		List<JsonNode> lines = lines(file);
		assertThat(lines).hasSize(hostile.size());
		assertThat(lines.get(4).get("attributes").get("value").stringValue()).isEqualTo("pair \uD83D\uDE00 ok");
		assertThat(lines.get(5).get("attributes").get("value").stringValue()).isEqualTo(hostile.get(5));
		assertThat(lines.get(6).get("attributes").get("value").stringValue()).hasSize(1024 * 1024);
	}

	@Test
	void concurrentExportsNeverInterleaveLines() throws Exception {
		Path file = this.directory.resolve("agent-traces.jsonl");
		Tracer tracer = tracer(SimpleSpanProcessor.create(exporter(file, Long.MAX_VALUE, 1)));
		int threads = 32;
		int spansPerThread = 2_000;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> futures = new ArrayList<>();
			for (int thread = 0; thread < threads; thread++) {
				int threadIndex = thread;
				futures.add(executor.submit(() -> {
					start.await();
					for (int i = 0; i < spansPerThread; i++) {
						tracer.spanBuilder("span " + threadIndex + "-" + i)
							.setAttribute("payload", "p".repeat(i % 200))
							.startSpan()
							.end();
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : futures) {
				future.get(1, TimeUnit.MINUTES);
			}
		}
		finally {
			executor.shutdownNow();
		}
		List<JsonNode> lines = lines(file);
		assertThat(lines).hasSize(threads * spansPerThread);
		Set<String> spanIds = new HashSet<>();
		lines.forEach((line) -> spanIds.add(line.get("span_id").stringValue()));
		assertThat(spanIds).hasSize(threads * spansPerThread);
	}

	@Test
	void rotationKeepsAtMostMaxFilesEachWithinMaxFileSize() throws IOException {
		Path file = this.directory.resolve("agent-traces.jsonl");
		Tracer tracer = tracer(SimpleSpanProcessor.create(exporter(file, MAX_FILE_SIZE, 3)));
		int spanCount = 500;
		for (int i = 0; i < spanCount; i++) {
			tracer.spanBuilder("span").setAttribute("index", i).startSpan().end();
		}
		try (Stream<Path> files = Files.list(this.directory)) {
			assertThat(files.map((path) -> path.getFileName().toString())).containsExactlyInAnyOrder(
					"agent-traces.jsonl", "agent-traces.jsonl.1", "agent-traces.jsonl.2");
		}
		for (String name : List.of("agent-traces.jsonl", "agent-traces.jsonl.1", "agent-traces.jsonl.2")) {
			assertThat(Files.size(this.directory.resolve(name))).isPositive().isLessThanOrEqualTo(MAX_FILE_SIZE);
		}
		List<Long> indexes = new ArrayList<>();
		for (String name : List.of("agent-traces.jsonl.2", "agent-traces.jsonl.1", "agent-traces.jsonl")) {
			lines(this.directory.resolve(name))
				.forEach((line) -> indexes.add(line.get("attributes").get("index").longValue()));
		}
		assertThat(indexes).isSorted().endsWith(spanCount - 1L);
	}

	@Test
	void rotationHappensOnlyWhenTheNextLineWouldExceedMaxFileSize() throws IOException {
		List<SpanData> spans = sameSizeSpans(4);
		long lineSize = SpanJson.toJson(spans.get(0)).length() + 1;
		Path file = this.directory.resolve("agent-traces.jsonl");
		JsonLinesSpanExporter exporter = exporter(file, 3 * lineSize, 2);
		exporter.export(spans);
		assertThat(Files.size(this.directory.resolve("agent-traces.jsonl.1"))).isEqualTo(3 * lineSize);
		assertThat(Files.size(file)).isEqualTo(lineSize);
	}

	@Test
	void rotationWithASingleFileStartsItAfresh() throws IOException {
		Path file = this.directory.resolve("agent-traces.jsonl");
		Tracer tracer = tracer(SimpleSpanProcessor.create(exporter(file, MAX_FILE_SIZE, 1)));
		int spanCount = 500;
		for (int i = 0; i < spanCount; i++) {
			tracer.spanBuilder("span").setAttribute("index", i).startSpan().end();
		}
		try (Stream<Path> files = Files.list(this.directory)) {
			assertThat(files).containsExactly(file);
		}
		assertThat(Files.size(file)).isLessThanOrEqualTo(MAX_FILE_SIZE);
		List<JsonNode> lines = lines(file);
		assertThat(lines.get(lines.size() - 1).get("attributes").get("index").longValue()).isEqualTo(spanCount - 1L);
	}

	@Test
	void lineLargerThanMaxFileSizeIsWrittenAloneInItsFile() throws IOException {
		Path file = this.directory.resolve("agent-traces.jsonl");
		Tracer tracer = tracer(SimpleSpanProcessor.create(exporter(file, MAX_FILE_SIZE, 2)));
		tracer.spanBuilder("small").startSpan().end();
		tracer.spanBuilder("large").setAttribute("value", "x".repeat((int) MAX_FILE_SIZE)).startSpan().end();
		assertThat(lines(file)).extracting((line) -> line.get("name").stringValue()).containsExactly("large");
		assertThat(lines(this.directory.resolve("agent-traces.jsonl.1")))
			.extracting((line) -> line.get("name").stringValue())
			.containsExactly("small");
	}

	@Test
	void shutdownWritesTheSpansStillQueuedInTheBatchProcessor() throws IOException {
		Path file = this.directory.resolve("agent-traces.jsonl");
		SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
			.addSpanProcessor(BatchSpanProcessor.builder(exporter(file, MAX_FILE_SIZE * 100, 3))
				.setScheduleDelay(Duration.ofHours(1))
				.build())
			.build();
		Tracer tracer = tracerProvider.get("test");
		int spanCount = 100;
		for (int i = 0; i < spanCount; i++) {
			tracer.spanBuilder("span").startSpan().end();
		}
		assertThat(file).isEmptyFile();
		tracerProvider.close();
		assertThat(lines(file)).hasSize(spanCount);
	}

	@Test
	void constructionFailsWhenTheFileCannotBeCreated() throws IOException {
		Path regularFile = Files.createFile(this.directory.resolve("file.txt"));
		Path file = regularFile.resolve("sub/traces.jsonl");
		assertThatExceptionOfType(UncheckedIOException.class)
			.isThrownBy(() -> new JsonLinesSpanExporter(file, MAX_FILE_SIZE, 3))
			.withMessageContaining(file.toString());
	}

	@Test
	void constructionRejectsANonPositiveMaxFileSize() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new JsonLinesSpanExporter(this.directory.resolve("traces.jsonl"), 0, 3))
			.withMessageContaining("maxFileSizeBytes");
	}

	@Test
	void constructionRejectsZeroMaxFiles() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new JsonLinesSpanExporter(this.directory.resolve("traces.jsonl"), MAX_FILE_SIZE, 0))
			.withMessageContaining("maxFiles");
	}

	@Test
	void exportRecreatesTheFileWhenItWasDeleted() throws IOException {
		Path file = this.directory.resolve("logs/agent-traces.jsonl");
		JsonLinesSpanExporter exporter = exporter(file, MAX_FILE_SIZE, 3);
		List<SpanData> spans = endedSpans("before", "after");
		assertThat(exporter.export(spans.subList(0, 1)).isSuccess()).isTrue();
		Files.delete(file);
		Files.delete(file.getParent());
		assertThat(exporter.export(spans.subList(1, 2)).isSuccess()).isTrue();
		assertThat(lines(file)).extracting((line) -> line.get("name").stringValue()).containsExactly("after");
		assertThat(exporter.writeErrors()).isZero();
	}

	@Test
	void exportFailsWithoutThrowingAndCountsTheErrorWhenTheFileCannotBeWritten() throws IOException {
		Path file = this.directory.resolve("logs/agent-traces.jsonl");
		JsonLinesSpanExporter exporter = exporter(file, MAX_FILE_SIZE, 3);
		blockDirectory(file);
		CompletableResultCode result = exporter.export(endedSpans("one", "two"));
		assertThat(result.isSuccess()).isFalse();
		assertThat(exporter.writeErrors()).isOne();
		assertThat(exporter.droppedSpans()).isEqualTo(2);
	}

	@Test
	void exportRecoversOnTheNextBatchAfterAWriteError() throws IOException {
		Path file = this.directory.resolve("logs/agent-traces.jsonl");
		JsonLinesSpanExporter exporter = exporter(file, MAX_FILE_SIZE, 3);
		List<SpanData> spans = endedSpans("lost", "kept");
		Path blocker = blockDirectory(file);
		exporter.export(spans.subList(0, 1));
		Files.delete(blocker);
		assertThat(exporter.export(spans.subList(1, 2)).isSuccess()).isTrue();
		assertThat(lines(file)).extracting((line) -> line.get("name").stringValue()).containsExactly("kept");
	}

	@Test
	void repeatedWriteErrorsAreLoggedOnceAtWarnLevel(CapturedOutput output) throws IOException {
		Path file = this.directory.resolve("logs/agent-traces.jsonl");
		JsonLinesSpanExporter exporter = exporter(file, MAX_FILE_SIZE, 3);
		blockDirectory(file);
		List<SpanData> spans = endedSpans("one");
		exporter.export(spans);
		exporter.export(spans);
		exporter.export(spans);
		assertThat(exporter.writeErrors()).isEqualTo(3);
		assertThat(output.getAll().lines().filter((line) -> line.contains("Failed to write spans")))
			.singleElement(InstanceOfAssertFactories.STRING)
			.contains("WARN");
	}

	@Test
	void exportAfterShutdownFails() {
		JsonLinesSpanExporter exporter = exporter(this.directory.resolve("agent-traces.jsonl"), MAX_FILE_SIZE, 3);
		exporter.shutdown();
		assertThat(exporter.export(endedSpans("late")).isSuccess()).isFalse();
	}

	@Test
	void shutdownIsIdempotent() {
		JsonLinesSpanExporter exporter = exporter(this.directory.resolve("agent-traces.jsonl"), MAX_FILE_SIZE, 3);
		assertThat(exporter.shutdown().isSuccess()).isTrue();
		assertThat(exporter.shutdown().isSuccess()).isTrue();
	}

	/**
	 * Replaces the directory of the given file by a regular file, so that the file can
	 * neither be written nor created, even by root.
	 */
	private static Path blockDirectory(Path file) throws IOException {
		Files.delete(file);
		Files.delete(file.getParent());
		return Files.createFile(file.getParent());
	}

	private JsonLinesSpanExporter exporter(Path file, long maxFileSize, int maxFiles) {
		JsonLinesSpanExporter exporter = new JsonLinesSpanExporter(file, maxFileSize, maxFiles);
		this.closeables.add(exporter);
		return exporter;
	}

	private Tracer tracer(SpanProcessor processor) {
		SdkTracerProvider tracerProvider = SdkTracerProvider.builder()
			.setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "test")))
			.addSpanProcessor(processor)
			.build();
		this.closeables.add(tracerProvider);
		return tracerProvider.get("test");
	}

	private List<SpanData> endedSpans(String... names) {
		InMemorySpanExporter spans = InMemorySpanExporter.create();
		Tracer tracer = tracer(SimpleSpanProcessor.create(spans));
		for (String name : names) {
			tracer.spanBuilder(name).startSpan().end();
		}
		return spans.getFinishedSpanItems();
	}

	private List<SpanData> sameSizeSpans(int count) {
		InMemorySpanExporter spans = InMemorySpanExporter.create();
		Tracer tracer = tracer(SimpleSpanProcessor.create(spans));
		for (int i = 0; i < count; i++) {
			tracer.spanBuilder("span")
				.setStartTimestamp(1_000_000_000L, TimeUnit.NANOSECONDS)
				.startSpan()
				.end(2_000_000_000L, TimeUnit.NANOSECONDS);
		}
		return spans.getFinishedSpanItems();
	}

	private static List<JsonNode> lines(Path file) throws IOException {
		List<JsonNode> lines = new ArrayList<>();
		for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
			lines.add(mapper.readTree(line));
		}
		return lines;
	}

}
