import { ContractFormSchema, MoveFormSchema, RestoreFormSchema, TerminateFormSchema } from "~/schemas/forms/operator";

/** The tenant page's buttons and the schema each posts (the authorization matrix has a row for each). */
export const INTENTS = { terminate: TerminateFormSchema, restore: RestoreFormSchema, contract: ContractFormSchema, move: MoveFormSchema } as const;
