package io.github.agentobservability.ai.internal;

import java.io.IOException;

import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.observation.ChatModelObservationContext;

/**
 * Times the chunks of a streamed model call where they arrive: in the server-sent events
 * of the HTTP response that Spring AI's OpenAI client reads, so that direct
 * {@code ChatModel.stream()} calls get their time to first chunk and time per chunk as
 * ChatClient streams do. Each event (a blank line ends it) is a chunk; the stream's
 * terminating event ({@code [DONE]}) is not timed.
 * <p>
 * An OkHttp interceptor of the client, after Micrometer's: the call is the one
 * {@link StreamedRequestTracingHandler} claimed for the request on this thread, or, when
 * requests are not traced, claimed here; other requests pass through untouched.
 */
public final class StreamChunkTimer implements Interceptor {

	private final StreamingChats streamingChats;

	public StreamChunkTimer(StreamingChats streamingChats) {
		this.streamingChats = streamingChats;
	}

	@Override
	public Response intercept(Chain chain) throws IOException {
		ChatModelObservationContext call = this.streamingChats.requestInProgress();
		if (call == null && StreamedRequestTracingHandler.isStreamed(chain.request())) {
			// Not traced: claimed here
			call = this.streamingChats.claim(() -> StreamedRequestTracingHandler.body(chain.request()));
		}
		Response response = chain.proceed(chain.request());
		StreamTiming timing = (call != null) ? call.get(StreamTiming.class) : null;
		ResponseBody body = response.body();
		if (timing == null || body == null) {
			return response;
		}
		return response.newBuilder().body(new TimedBody(body, timing)).build();
	}

	private static final class TimedBody extends ResponseBody {

		private final ResponseBody body;

		private final BufferedSource source;

		TimedBody(ResponseBody body, StreamTiming timing) {
			this.body = body;
			this.source = Okio.buffer(new EventTimingSource(body.source(), timing));
		}

		@Override
		public @Nullable MediaType contentType() {
			return this.body.contentType();
		}

		@Override
		public long contentLength() {
			return this.body.contentLength();
		}

		@Override
		public BufferedSource source() {
			return this.source;
		}

		@Override
		public void close() {
			this.body.close();
		}

	}

	/**
	 * Notes the end of each event as its bytes are read: a line feed ending an empty line
	 * (carriage returns aside) after a line with content.
	 */
	private static final class EventTimingSource extends ForwardingSource {

		private final StreamTiming timing;

		private boolean lineEmpty = true;

		private boolean eventHasContent;

		private boolean ended;

		EventTimingSource(okio.Source source, StreamTiming timing) {
			super(source);
			this.timing = timing;
		}

		@Override
		public long read(Buffer sink, long byteCount) throws IOException {
			long read = super.read(sink, byteCount);
			if (read < 0) {
				if (!this.ended) {
					this.ended = true;
					this.timing.dropLastChunk();
				}
				return read;
			}
			long now = 0;
			for (long i = sink.size() - read; i < sink.size(); i++) {
				byte b = sink.getByte(i);
				if (b == '\n') {
					if (this.lineEmpty && this.eventHasContent) {
						now = (now != 0) ? now : System.nanoTime();
						this.timing.chunk(now);
						this.eventHasContent = false;
					}
					this.lineEmpty = true;
				}
				else if (b != '\r') {
					this.lineEmpty = false;
					this.eventHasContent = true;
				}
			}
			return read;
		}

	}

}
