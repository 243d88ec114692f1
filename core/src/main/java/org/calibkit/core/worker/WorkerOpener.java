package org.calibkit.core.worker;

import org.calibkit.core.model.LogitSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How the worker opens a model: implemented by the module that knows the model types (the
 * report's {@code IsolatedModels}), named by class in the {@code OPEN} frame and instantiated
 * in the child through its public no-argument constructor. Runs only in the child.
 */
public interface WorkerOpener {
    /** What an opener hands back: the model, what the parent should know of it, and what to close. */
    record Opened(LogitSource source, JsonNode description, AutoCloseable closer) {
    }

    /**
     * Opens the model a request names (in the child JVM).
     *
     * @param request the JSON the parent sent
     * @throws RuntimeException with a message for the user when the model cannot be opened
     */
    Opened open(JsonNode request);
}
