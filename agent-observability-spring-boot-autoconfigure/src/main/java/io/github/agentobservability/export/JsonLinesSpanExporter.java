package io.github.agentobservability.export;

import io.github.agentobservability.export.internal.SpanJson;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import io.github.agentobservability.internal.WarnOnce;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * {@link SpanExporter} appending each span as one line of JSON (see {@code SpanJson}) to a
 * local file, rotated by size.
 * <p>
 * Exists so that traces can be analysed offline ({@code jq}, notebooks) without running a
 * tracing backend, while never endangering the application: disk use is bounded by
 * {@code maxFileSizeBytes × maxFiles}, runtime write errors are counted and logged instead
 * of thrown, and the file is reopened on the next batch (recreating it, and its directory,
 * when it was deleted).
 * <p>
 * Rotation follows the log-file convention: when the next line would make the current file
 * exceed {@code maxFileSizeBytes}, {@code file.1} becomes {@code file.2} and so on,
 * {@code file} becomes {@code file.1} and a fresh {@code file} is started; the oldest
 * archive is deleted so that at most {@code maxFiles} files exist. With {@code maxFiles}
 * of {@code 1} the file is simply started afresh. A single line larger than
 * {@code maxFileSizeBytes} is still written, alone in its file.
 * <p>
 * Only complete lines are written and the file is flushed at the end of each batch, so a
 * crash loses at most a partial last line. Concurrent calls to {@link #export} are
 * serialized and never interleave lines.
 */
public final class JsonLinesSpanExporter implements SpanExporter {

	private static final Log logger = LogFactory.getLog(JsonLinesSpanExporter.class);

	private static final byte NEW_LINE = '\n';

	private static final int BUFFER_SIZE = 64 * 1024;

	private final Path path;

	private final long maxFileSizeBytes;

	private final int maxFiles;

	// A lock rather than synchronized: file I/O must not pin a virtual thread's carrier.
	private final ReentrantLock lock = new ReentrantLock();

	private final AtomicLong droppedSpans = new AtomicLong();

	private final AtomicLong writeErrors = new AtomicLong();

	private final WarnOnce writeErrorLog = new WarnOnce(logger);

	private @Nullable OutputStream out;

	private long size;

	private boolean shutdown;

	/**
	 * Creates an exporter writing to the given file, creating its parent directories and
	 * opening it for append.
	 * @param path the file to write, archives are named after it with a {@code .N} suffix
	 * @param maxFileSizeBytes the size above which the file is rotated, must be positive
	 * @param maxFiles the maximum number of files, the current one included, must be at
	 * least 1
	 * @throws IllegalArgumentException if {@code maxFileSizeBytes} or {@code maxFiles} is
	 * out of range
	 * @throws UncheckedIOException if the file cannot be opened for writing
	 */
	public JsonLinesSpanExporter(Path path, long maxFileSizeBytes, int maxFiles) {
		if (maxFileSizeBytes <= 0) {
			throw new IllegalArgumentException("maxFileSizeBytes must be positive but was " + maxFileSizeBytes);
		}
		if (maxFiles < 1) {
			throw new IllegalArgumentException("maxFiles must be at least 1 but was " + maxFiles);
		}
		this.path = path.toAbsolutePath();
		this.maxFileSizeBytes = maxFileSizeBytes;
		this.maxFiles = maxFiles;
		try {
			open();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot open " + this.path + " for writing", ex);
		}
	}

	@Override
	public CompletableResultCode export(Collection<SpanData> spans) {
		this.lock.lock();
		try {
			if (this.shutdown) {
				this.droppedSpans.addAndGet(spans.size());
				return CompletableResultCode.ofFailure();
			}
			return write(spans);
		}
		finally {
			this.lock.unlock();
		}
	}

	private CompletableResultCode write(Collection<SpanData> spans) {
		StringBuilder line = new StringBuilder(1024);
		int flushed = 0;
		int written = 0;
		try {
			OutputStream out = reopenIfNeeded();
			for (SpanData span : spans) {
				line.setLength(0);
				SpanJson.appendTo(line, span);
				byte[] bytes = line.append('\n').toString().getBytes(StandardCharsets.UTF_8);
				if (this.size > 0 && this.size + bytes.length > this.maxFileSizeBytes) {
					rotate();
					flushed = written;
					out = open();
				}
				out.write(bytes);
				this.size += bytes.length;
				written++;
			}
			out.flush();
			return CompletableResultCode.ofSuccess();
		}
		catch (IOException ex) {
			failed(ex, spans.size() - flushed);
			return CompletableResultCode.ofFailure();
		}
	}

	private OutputStream reopenIfNeeded() throws IOException {
		OutputStream out = this.out;
		if (out != null && !Files.exists(this.path)) {
			closeQuietly();
			out = null;
		}
		return (out != null) ? out : open();
	}

	private OutputStream open() throws IOException {
		Path parent = this.path.getParent();
		if (parent != null) {
			Files.createDirectories(parent);
		}
		FileChannel channel = FileChannel.open(this.path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
				StandardOpenOption.APPEND);
		try {
			this.size = channel.size();
			if (this.size > 0 && !endsWithNewLine()) {
				// A previous run or a failed write left a partial line: end it so that the
				// next line stays parseable on its own.
				channel.write(ByteBuffer.wrap(new byte[] { NEW_LINE }));
				this.size++;
			}
		}
		catch (IOException ex) {
			channel.close();
			throw ex;
		}
		OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_SIZE);
		this.out = out;
		return out;
	}

	private boolean endsWithNewLine() throws IOException {
		try (SeekableByteChannel channel = Files.newByteChannel(this.path, StandardOpenOption.READ)) {
			ByteBuffer last = ByteBuffer.allocate(1);
			channel.position(channel.size() - 1);
			return channel.read(last) == 1 && last.get(0) == NEW_LINE;
		}
	}

	private void rotate() throws IOException {
		closeStream();
		if (this.maxFiles == 1) {
			Files.deleteIfExists(this.path);
			return;
		}
		Files.deleteIfExists(archive(this.maxFiles - 1));
		for (int index = this.maxFiles - 2; index >= 1; index--) {
			Path archive = archive(index);
			if (Files.exists(archive)) {
				Files.move(archive, archive(index + 1), StandardCopyOption.REPLACE_EXISTING);
			}
		}
		Files.move(this.path, archive(1), StandardCopyOption.REPLACE_EXISTING);
	}

	private Path archive(int index) {
		return this.path.resolveSibling(this.path.getFileName() + "." + index);
	}

	private void failed(IOException ex, int dropped) {
		closeQuietly();
		this.droppedSpans.addAndGet(dropped);
		this.writeErrors.incrementAndGet();
		this.writeErrorLog.log(() -> writeFailure(dropped) + " (further failures are logged at DEBUG level)",
				() -> writeFailure(dropped), ex);
	}

	private String writeFailure(int dropped) {
		return "Failed to write spans to " + this.path + " (" + dropped
				+ " dropped), the file will be reopened on the next batch";
	}

	@Override
	public CompletableResultCode flush() {
		this.lock.lock();
		try {
			if (this.out != null) {
				this.out.flush();
			}
			return CompletableResultCode.ofSuccess();
		}
		catch (IOException ex) {
			failed(ex, 0);
			return CompletableResultCode.ofFailure();
		}
		finally {
			this.lock.unlock();
		}
	}

	@Override
	public CompletableResultCode shutdown() {
		this.lock.lock();
		try {
			if (this.shutdown) {
				return CompletableResultCode.ofSuccess();
			}
			this.shutdown = true;
			closeStream();
			return CompletableResultCode.ofSuccess();
		}
		catch (IOException ex) {
			failed(ex, 0);
			return CompletableResultCode.ofFailure();
		}
		finally {
			this.lock.unlock();
		}
	}

	private void closeStream() throws IOException {
		OutputStream out = this.out;
		this.out = null;
		if (out != null) {
			out.close();
		}
	}

	private void closeQuietly() {
		try {
			closeStream();
		}
		catch (IOException ex) {
			// The stream is already failing: its error has been, or will be, reported.
		}
	}

	/**
	 * Returns the number of spans that may not have reached the file, because a write
	 * failed or because they were exported after {@link #shutdown()}.
	 * @return the number of dropped spans
	 */
	public long droppedSpans() {
		return this.droppedSpans.get();
	}

	/**
	 * Returns the number of write errors since this exporter was created.
	 * @return the number of write errors
	 */
	public long writeErrors() {
		return this.writeErrors.get();
	}

	@Override
	public String toString() {
		return "JsonLinesSpanExporter{path=" + this.path + ", maxFileSizeBytes=" + this.maxFileSizeBytes
				+ ", maxFiles=" + this.maxFiles + "}";
	}

}
