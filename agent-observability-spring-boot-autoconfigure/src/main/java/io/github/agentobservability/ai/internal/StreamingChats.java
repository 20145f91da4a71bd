package io.github.agentobservability.ai.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationView;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.observation.ChatModelObservationContext;

/**
 * The streamed model calls in progress, so that {@link FirstChunkAdvisor}, which sees a
 * ChatClient's chunks but not the model call's observation, can find the call a chunk
 * belongs to: the one running under the advisor's own observation.
 */
public final class StreamingChats {

	private static final int MAX_DEPTH = 64;

	private final Set<ChatModelObservationContext> inProgress = ConcurrentHashMap.newKeySet();

	void started(ChatModelObservationContext context) {
		this.inProgress.add(context);
	}

	void stopped(ChatModelObservationContext context) {
		this.inProgress.remove(context);
	}

	/**
	 * Returns the timing of the streamed call running under an observation.
	 * @param ancestor the observation the call must descend from
	 * @return the call's timing, or {@code null} when none is in progress under it
	 */
	@Nullable StreamTiming under(Observation.ContextView ancestor) {
		for (ChatModelObservationContext context : this.inProgress) {
			if (descends(context, ancestor)) {
				return context.get(StreamTiming.class);
			}
		}
		return null;
	}

	int size() {
		return this.inProgress.size();
	}

	private static boolean descends(Observation.ContextView context, Observation.ContextView ancestor) {
		ObservationView parent = context.getParentObservation();
		for (int depth = 0; parent != null && depth < MAX_DEPTH; depth++) {
			Observation.ContextView view = parent.getContextView();
			if (view == ancestor) {
				return true;
			}
			parent = view.getParentObservation();
		}
		return false;
	}

}
