/** The parts of camunda-external-task-client-js (which ships no types) the tests use. */
declare module 'camunda-external-task-client-js' {
  export interface TypedValue {
    type: string;
    value: unknown;
    valueInfo?: Record<string, unknown>;
  }

  export class Variables {
    get(name: string): any;
    getTyped(name: string): TypedValue | null;
    getAll(): Record<string, unknown>;
    set(name: string, value: unknown): this;
    setTyped(name: string, typedValue: TypedValue): this;
    setAll(values: Record<string, unknown>): this;
  }

  export interface Task {
    id: string;
    topicName: string;
    workerId: string;
    processInstanceId: string;
    businessKey: string | null;
    activityId: string;
    retries: number | null;
    variables: Variables;
    [field: string]: unknown;
  }

  export interface TaskService {
    complete(task: Task | string, variables?: Variables, localVariables?: Variables): Promise<void>;
    handleFailure(task: Task | string, options: { errorMessage?: string; errorDetails?: string; retries?: number; retryTimeout?: number }): Promise<void>;
    handleBpmnError(task: Task | string, errorCode: string, errorMessage?: string, variables?: Variables): Promise<void>;
    extendLock(task: Task | string, newDuration: number): Promise<void>;
    unlock(task: Task | string): Promise<void>;
  }

  export interface ClientConfig {
    baseUrl: string;
    workerId?: string;
    maxTasks?: number;
    usePriority?: boolean;
    interval?: number;
    lockDuration?: number;
    autoPoll?: boolean;
    asyncResponseTimeout?: number;
    use?: ((client: Client) => void) | ((client: Client) => void)[];
  }

  export interface SubscribeOptions {
    lockDuration?: number;
    variables?: string[];
    businessKey?: string;
    processDefinitionKey?: string;
    processVariables?: Record<string, unknown>;
    localVariables?: boolean;
  }

  export type Handler = (args: { task: Task; taskService: TaskService }) => void | Promise<void>;

  export class Client {
    constructor(config: ClientConfig);
    subscribe(topic: string, options: SubscribeOptions, handler: Handler): { unsubscribe(): void };
    subscribe(topic: string, handler: Handler): { unsubscribe(): void };
    start(): void;
    stop(): void;
    on(event: string, listener: (...args: any[]) => void): this;
  }
}
