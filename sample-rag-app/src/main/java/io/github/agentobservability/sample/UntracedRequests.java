package io.github.agentobservability.sample;

import java.util.List;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;

import org.springframework.http.server.PathContainer;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UrlPathHelper;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Keeps the requests that are no work of the agent out of the traces: health checks,
 * Prometheus scrapes, the browser's favicon and the page's own requests (the page, its
 * settings, its polls for the trace of an answer). Without it, each of them is a trace of
 * its own in the console, the JSON-lines file and Jaeger, and the asks drown among them.
 * <p>
 * Spring Boot applies every {@link ObservationPredicate} bean to the observation
 * registry; this one turns off the {@code http.server.requests} observation of the
 * requests whose path matches {@code sample.untraced-paths}, so they make neither a span
 * nor an {@code http.server.requests} metric.
 */
@Component
class UntracedRequests implements ObservationPredicate {

	private static final String HTTP_SERVER_REQUESTS = "http.server.requests";

	private final List<PathPattern> paths;

	UntracedRequests(SampleProperties properties) {
		this.paths = properties.getUntracedPaths().stream().map(PathPatternParser.defaultInstance::parse).toList();
	}

	@Override
	public boolean test(String name, Observation.Context context) {
		if (!HTTP_SERVER_REQUESTS.equals(name) || !(context instanceof ServerRequestObservationContext request)) {
			return true;
		}
		PathContainer path = PathContainer
			.parsePath(UrlPathHelper.defaultInstance.getPathWithinApplication(request.getCarrier()));
		return this.paths.stream().noneMatch((pattern) -> pattern.matches(path));
	}

}
