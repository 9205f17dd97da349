/*
 * al_status.h — how the pure core reports failure.
 *
 * The core never longjmps and never allocates: every fallible function
 * returns an AlStatus and, on failure, fills an AlError that the PostgreSQL
 * skin reports as an error with the matching SQLSTATE:
 *
 *   AL_ERR_SYNTAX  -> 22P02 invalid_text_representation
 *   AL_ERR_RANGE   -> 22003 numeric_value_out_of_range
 *   AL_ERR_PARAM   -> 22023 invalid_parameter_value
 *   AL_ERR_LIMIT   -> 54000 program_limit_exceeded
 *   AL_ERR_CORRUPT -> XX001 data_corrupted (stored bytes that cannot be ours)
 */
#ifndef AL_STATUS_H
#define AL_STATUS_H

#include <stdarg.h>

typedef enum AlStatus
{
	AL_OK = 0,
	AL_ERR_SYNTAX,
	AL_ERR_RANGE,
	AL_ERR_PARAM,
	AL_ERR_LIMIT,
	AL_ERR_CORRUPT
} AlStatus;

#define AL_MSG_LEN 256

typedef struct AlError
{
	AlStatus	status;
	char		message[AL_MSG_LEN];
	char		detail[AL_MSG_LEN];	/* empty when there is none */
	char		hint[AL_MSG_LEN];	/* empty when there is none */
} AlError;

/* Fill err (if not NULL) and return status; detail/hint may be set after. */
AlStatus	al_fail(AlError *err, AlStatus status, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));
void		al_detail(AlError *err, const char *fmt,...)
			__attribute__((format(printf, 2, 3)));
void		al_hint(AlError *err, const char *fmt,...)
			__attribute__((format(printf, 2, 3)));

#endif
